import { seg } from "../../../core/lookup";

export const allocationsUrl = (consumerUuid: string) => `/allocations/${seg(consumerUuid)}`;
