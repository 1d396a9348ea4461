export const allocationCandidatesUrl = () => "/allocation_candidates";
