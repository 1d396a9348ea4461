export const availabilityZonesUrl = () => "/os-availability-zone";
export const availabilityZonesDetailUrl = () => "/os-availability-zone/detail";
