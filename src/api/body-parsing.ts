/**
 * Request body parsing: JSON as before, and YAML media types kept as raw text for the routes that take a
 * manifest as the body itself (`POST /presets/import` with `Content-Type: application/yaml`).
 */
import { BadRequestException } from '@nestjs/common';
import express, { type Request, type Response } from 'express';

/** Media types read as YAML text. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * How deep a JSON body may nest. No route takes more than a few levels; thousands (`[[[[...`, a few KB)
 * overflowed the stack of the validation pipe's recursive transform and answered 500 (the OpenAPI fuzz found it).
 */
export const MAX_JSON_DEPTH = 64;

/** One middleware: YAML media types become a string body; everything else goes to the JSON parser. */
export function requestBodies(limit: string): (request: Request, response: Response, next: (error?: unknown) => void) => void {
  const json = express.json({ limit });
  const yaml = express.text({ limit, type: YAML_MEDIA_TYPES });
  return (request, response, next) => {
    const type = request.headers['content-type'];
    // Only YAML takes the second parser: JSON and bodiless requests stay on the path they always took.
    if (type !== undefined && isYaml(type)) return yaml(request, response, next);
    json(request, response, (error?: unknown) => {
      if (!error && nestsDeeperThan(request.body, MAX_JSON_DEPTH)) return next(new BadRequestException(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`));
      next(error);
    });
  };
}

/** True when `value` has objects or arrays nested more than `max` deep; iterative, so depth cannot hurt it. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

function isYaml(contentType: string): boolean {
  const media = contentType.split(';', 1)[0].trim().toLowerCase();
  return YAML_MEDIA_TYPES.includes(media);
}
