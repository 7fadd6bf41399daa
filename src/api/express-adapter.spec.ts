import 'reflect-metadata';
import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import * as http from 'node:http';
import { Socket } from 'node:net';
import { describeHttpServer, expressServerOptions, HTTP_SERVER_KINDS, PrototypedExpressAdapter, type NodeMessageClasses } from './express-adapter';

/** What the handler saw of its request. */
const seen: { isIncomingMessage?: boolean } = {};

@Controller()
class ProbeController {
  @Get('probe')
  probe(@Req() request: express.Request, @Res() response: express.Response) {
    seen.isIncomingMessage = request instanceof http.IncomingMessage;
    // Express's own request and response helpers, which live on those prototypes.
    response.status(201).json({ path: request.path, query: request.query, accepts: request.accepts('json') });
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** Node's request class as a real ES class, as a Node whose classes cannot be called as functions has it. */
class IncomingMessageAsClass extends http.IncomingMessage {}
/** A Node with uncallable message classes: the adapter must fall back to plain Express. */
const UNCALLABLE: NodeMessageClasses = { IncomingMessage: IncomingMessageAsClass, ServerResponse: http.ServerResponse };

describe('expressServerOptions', () => {
  it("builds requests and responses on the app's prototypes, initialised by Node's constructors", () => {
    const app = express();
    const options = expressServerOptions(app) as Required<Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'>>;
    const request = new options.IncomingMessage(new Socket());
    expect(Object.getPrototypeOf(request)).toBe(app.request);
    expect(request).toBeInstanceOf(http.IncomingMessage);
    expect(request.headers).toEqual({});
    expect(request.readable).toBe(true);
    const response = new options.ServerResponse(request);
    expect(Object.getPrototypeOf(response)).toBe(app.response);
    expect(response.statusCode).toBe(200);
    expect(response.headersSent).toBe(false);
  });

  it('gives up where either class cannot be called as a function', () => {
    expect(expressServerOptions(express(), UNCALLABLE)).toBeNull();
    expect(expressServerOptions(express(), { IncomingMessage: http.IncomingMessage, ServerResponse: class extends http.ServerResponse {} })).toBeNull();
  });
});

/** Serves one probe request and reports which messages Express's setPrototypeOf calls actually changed. */
async function probe(options: { forceCloseConnections?: boolean } = {}, adapter = new PrototypedExpressAdapter()) {
  const app = await NestFactory.create<NestExpressApplication>(ProbeModule, adapter, { logger: false, ...options });
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as { port: number };
    const calls: string[] = [];
    const changed: string[] = [];
    const setPrototypeOf = Object.setPrototypeOf;
    const spy = jest.spyOn(Object, 'setPrototypeOf').mockImplementation((target: object, prototype: object | null) => {
      const isMessage = target instanceof http.IncomingMessage || target instanceof http.ServerResponse;
      if (isMessage) calls.push(target.constructor.name);
      if (isMessage && Object.getPrototypeOf(target) !== prototype) changed.push(target.constructor.name);
      return setPrototypeOf(target, prototype);
    });
    const reply = await fetch(`http://127.0.0.1:${port}/probe?x=1`).finally(() => spy.mockRestore());
    const missing = await fetch(`http://127.0.0.1:${port}/nowhere`);
    return { calls, changed, status: reply.status, body: await reply.json(), missing: missing.status, server: describeHttpServer(app) };
  } finally {
    await app.close();
  }
}

describe('PrototypedExpressAdapter', () => {
  it("serves Nest routes on requests and responses built on the app's prototypes: Express's swap changes nothing", async () => {
    const served = await probe();
    // Express still calls setPrototypeOf on the request and the response; with this server it changes neither.
    expect(served.calls.length).toBeGreaterThanOrEqual(2);
    expect(served.changed).toEqual([]);
    expect(served.status).toBe(201);
    expect(served.body).toEqual({ path: '/probe', query: { x: '1' }, accepts: 'json' });
    expect(seen.isIncomingMessage).toBe(true);
    expect(served.missing).toBe(404);
    expect(served.server).toBe(HTTP_SERVER_KINDS.prototyped);
  });

  it("falls back to plain Express where Node's classes cannot be called, and serves the same routes", async () => {
    seen.isIncomingMessage = undefined;
    const served = await probe({}, new PrototypedExpressAdapter(UNCALLABLE));
    expect(served.server).toBe(HTTP_SERVER_KINDS.notCallable);
    // Node's own server: Express swaps both prototypes per request again.
    expect(served.changed).toEqual(expect.arrayContaining(['IncomingMessage', 'ServerResponse']));
    expect(served.status).toBe(201);
    expect(served.body).toEqual({ path: '/probe', query: { x: '1' }, accepts: 'json' });
    expect(seen.isIncomingMessage).toBe(true);
    expect(served.missing).toBe(404);
  });

  it("leaves connection tracking to Nest's own server, where Express swaps the prototypes", async () => {
    const served = await probe({ forceCloseConnections: true });
    expect(served.server).toBe(HTTP_SERVER_KINDS.nestOwn);
    expect(served.changed.length).toBeGreaterThanOrEqual(2);
    expect(served.status).toBe(201);
  });
});
