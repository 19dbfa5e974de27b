import { Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseBodyError } from './errors.filter';

export const CSV_BODY_LIMIT = '1mb';

/**
 * The app parses only JSON bodies; CSV imports send the file itself as `text/csv`. This reads that
 * text (up to 1 MB) on the import routes only, and answers a body that is too large or in an
 * unknown charset the same way the JSON parser does, never with a 500.
 */
@Injectable()
export class CsvBodyMiddleware implements NestMiddleware {
  private readonly parse = express.text({ type: 'text/csv', limit: CSV_BODY_LIMIT });

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const described = parseBodyError(error) ?? { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Invalid request body' } };
      res.status(described.status).json(described.body);
    });
  }
}
