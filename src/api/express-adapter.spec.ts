import 'reflect-metadata';
import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import * as http from 'node:http';
import { Socket } from 'node:net';
import { expressServerOptions, PrototypedExpressAdapter } from './express-adapter';

/** What the handler saw of its request and response. */
const seen: { requestPrototypeIsApps?: boolean; responsePrototypeIsApps?: boolean; isIncomingMessage?: boolean } = {};

@Controller()
class ProbeController {
  @Get('probe')
  probe(@Req() request: express.Request, @Res() response: express.Response) {
    // Express's typings leave out the two prototypes it keeps on every app.
    const app = request.app as express.Application & { request: object; response: object };
    seen.requestPrototypeIsApps = Object.getPrototypeOf(request) === app.request;
    seen.responsePrototypeIsApps = Object.getPrototypeOf(response) === app.response;
    seen.isIncomingMessage = request instanceof http.IncomingMessage;
    // Express's own request and response helpers, which live on those prototypes.
    response.status(201).json({ path: request.path, query: request.query, accepts: request.accepts('json') });
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

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
});

describe('PrototypedExpressAdapter', () => {
  it('serves Nest routes whose requests and responses carry the app prototypes from the start', async () => {
    const app = await NestFactory.create<NestExpressApplication>(ProbeModule, new PrototypedExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const { port } = app.getHttpServer().address() as { port: number };
      // Express still calls setPrototypeOf on each request and response; with this server it changes nothing.
      const changed: string[] = [];
      const setPrototypeOf = Object.setPrototypeOf;
      const spy = jest.spyOn(Object, 'setPrototypeOf').mockImplementation((target: object, prototype: object | null) => {
        const isMessage = target instanceof http.IncomingMessage || target instanceof http.ServerResponse;
        if (isMessage && Object.getPrototypeOf(target) !== prototype) changed.push(target.constructor.name);
        return setPrototypeOf(target, prototype);
      });
      const reply = await fetch(`http://127.0.0.1:${port}/probe?x=1`).finally(() => spy.mockRestore());
      expect(changed).toEqual([]);
      expect(reply.status).toBe(201);
      expect(await reply.json()).toEqual({ path: '/probe', query: { x: '1' }, accepts: 'json' });
      expect(seen).toEqual({ requestPrototypeIsApps: true, responsePrototypeIsApps: true, isIncomingMessage: true });
      const missing = await fetch(`http://127.0.0.1:${port}/nowhere`);
      expect(missing.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
