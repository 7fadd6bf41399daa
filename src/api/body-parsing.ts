/**
 * Request body parsing: JSON as before, and YAML media types kept as raw text for the routes that take a
 * manifest as the body itself (`POST /presets/import` with `Content-Type: application/yaml`).
 */
import express, { type Request, type Response } from 'express';

/** Media types read as YAML text. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** One middleware: YAML media types become a string body; everything else goes to the JSON parser. */
export function requestBodies(limit: string): (request: Request, response: Response, next: (error?: unknown) => void) => void {
  const json = express.json({ limit });
  const yaml = express.text({ limit, type: YAML_MEDIA_TYPES });
  return (request, response, next) => {
    const type = request.headers['content-type'];
    // Only YAML takes the second parser: JSON and bodiless requests stay on the path they always took.
    if (type !== undefined && isYaml(type)) yaml(request, response, next);
    else json(request, response, next);
  };
}

function isYaml(contentType: string): boolean {
  const media = contentType.split(';', 1)[0].trim().toLowerCase();
  return YAML_MEDIA_TYPES.includes(media);
}
