import { Controller, Get, Inject, Logger, type OnModuleInit, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/api-edge';
import { CONSOLE_BUNDLE } from '../shared/tokens';
import { CONSOLE_POLICY, type ConsoleBundle } from './console.bundle';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Puente console not built</title></head>
<body><h1>The officer console is not built on this node</h1>
<p>Run <code>npm run console:build</code> (or <code>npm run build</code>) and restart the node. The REST API works without it.</p>
<p lang="es">La consola de oficiales no está compilada en este nodo: ejecute <code>npm run console:build</code> y reinicie el nodo.</p>
</body></html>`;

/**
 * The officer console: a static bundle over this node's own REST API. The files hold no data and
 * load without a token; every call they make carries the officer's bearer token like any client's.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleHttpController implements OnModuleInit {
  constructor(@Inject(CONSOLE_BUNDLE) private readonly bundle: ConsoleBundle) {}

  onModuleInit(): void {
    if (this.bundle.files.size === 0)
      new Logger('Console').warn(
        `officer console not built (looked in ${this.bundle.lookedIn.join(', ')}): /console answers 503; run npm run console:build`,
      );
  }

  @Get()
  @Public()
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':file')
  @Public()
  file(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    res.setHeader('Content-Security-Policy', CONSOLE_POLICY);
    if (this.bundle.files.size === 0) {
      res.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return;
    }
    const file = this.bundle.files.get(name);
    if (!file) {
      res.status(404).json({ statusCode: 404, code: 'NOT_FOUND', message: 'no such console file' });
      return;
    }
    res.status(200).type(file.type).send(file.body);
  }
}
