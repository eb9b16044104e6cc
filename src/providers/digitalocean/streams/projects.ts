import { defineStream } from '../../../sync/types.ts';
import { Project, ProjectResource } from '../schemas.ts';
import { listAt, pages } from './paging.ts';

export const projects = defineStream({
  name: 'projects',
  provider: 'digitalocean',
  path: '/v2/projects',
  pagination: pages('projects'),
  schema: Project,
  id: (p) => p.id,
});

/** What each project holds, as URNs; a resource sits in exactly one project. */
export const projectResources = defineStream({
  name: 'project_resources',
  provider: 'digitalocean',
  parent: 'projects',
  path: (project) => `/v2/projects/${encodeURIComponent(project.externalId)}/resources`,
  pagination: pages('resources'),
  // The resources do not name their project: carry it, so ids are unique across projects.
  extract: (body, project) => listAt(body, 'resources').map((r) => ({ ...r, project_id: project?.externalId })),
  schema: ProjectResource,
  id: (r) => `${r.project_id}:${r.urn}`,
});

