import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import {
  projectSchema,
  type CreateProjectOptions,
  type ListProjectsOptions,
  type Project,
  type UpdateProjectOptions,
} from "./types";
import { projectsUrl, projectUrl } from "./urls";

const one = z.object({ project: projectSchema });

/** Lists projects page by page. GET /v3/projects */
export function projectPages(sc: ServiceClient, opts: ListProjectsOptions = {}): AsyncGenerator<Project[]> {
  return paginate(sc, {
    path: projectsUrl(),
    itemsKey: "projects",
    item: projectSchema,
    query: {
      name: opts.name,
      domain_id: opts.domainId,
      enabled: opts.enabled,
      parent_id: opts.parentId,
      limit: opts.limit,
    },
  });
}

/** Lists projects. GET /v3/projects */
export function listProjects(sc: ServiceClient, opts: ListProjectsOptions = {}): Promise<Project[]> {
  return collect(projectPages(sc, opts));
}

/** Gets one project. GET /v3/projects/{id} */
export async function getProject(sc: ServiceClient, id: string): Promise<Project> {
  return (await sc.getJson(projectUrl(id), one)).project;
}

/** Finds a project by name (optionally within a domain), or null. GET /v3/projects?name= */
export async function findProjectByName(
  sc: ServiceClient,
  name: string,
  opts: { domainId?: string } = {},
): Promise<Project | null> {
  return onlyOne(await listProjects(sc, { name, domainId: opts.domainId }), "project", name, "domain");
}

/** Creates a project. POST /v3/projects */
export async function createProject(sc: ServiceClient, opts: CreateProjectOptions): Promise<Project> {
  const res = await sc.request("POST", projectsUrl(), {
    json: {
      project: {
        name: opts.name,
        domain_id: opts.domainId ?? "default",
        description: opts.description,
        enabled: opts.enabled,
        parent_id: opts.parentId,
        tags: opts.tags,
      },
    },
  });
  return sc.parse(one, res).project;
}

/** Updates a project. PATCH /v3/projects/{id} */
export async function updateProject(sc: ServiceClient, id: string, opts: UpdateProjectOptions): Promise<Project> {
  const res = await sc.request("PATCH", projectUrl(id), { json: { project: opts } });
  return sc.parse(one, res).project;
}

/** Deletes a project. DELETE /v3/projects/{id} */
export async function deleteProject(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", projectUrl(id));
}
