/**
 * The API and start-up baseline: a bare NestJS 11 + Express app with one controller returning a constant,
 * started the way the product starts (NestFactory.create, listen on loopback, port 0). It prints
 * `bare-nest: http://127.0.0.1:PORT` once listening, as the product prints its API line. With
 * BARE_NEST_SERVER=prototyped it runs on the product's HTTP server (an info row of the API figure).
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** One route, one constant. */
@Controller()
export class ConstantController {
  @Get('constant')
  constant() {
    return { status: 'ok', constant: 42 };
  }
}

/** The whole app. */
@Module({ controllers: [ConstantController] })
export class BareModule {}

async function main(): Promise<void> {
  const options = { logger: ['error', 'warn'] as ('error' | 'warn')[] };
  // BARE_NEST_SERVER=prototyped: the same route on the product's HTTP server (src/api/express-adapter.ts).
  // Loaded only then, so the stock baseline (also the start-up figure's) loads nothing of the product.
  const app = process.env.BARE_NEST_SERVER === 'prototyped'
    ? await NestFactory.create<NestExpressApplication>(BareModule, new (await import('../../src/api/express-adapter')).PrototypedExpressAdapter(), options)
    : await NestFactory.create<NestExpressApplication>(BareModule, options);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`bare-nest: http://127.0.0.1:${port}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
