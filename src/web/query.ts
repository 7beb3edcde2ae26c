// The names of a GET query, checked before a route reads its values: `param()` (context.ts) reads a
// single value and takes a repeated one (`severity=critical&severity=high`) as absent, and a name a
// route does not take (a typo, `sevrity=high`) is absent too — either way the answer widens to every
// row while saying nothing of it. So a parameter given more than once is refused everywhere (400
// naming it: the API's JSON error, the page's error page saying why), and on the API a parameter the
// route does not take is refused as well. A page keeps working with extra names (a bookmark, a link
// carrying another page's parameters). A parameter whose value has a shape (a page's position, a row
// id) is refused the same way when it is not that shape: read as absent, it gave the first page, or no
// diff, with no word why.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isApi, sendHtml, sendJson } from './context.js';
import { parseCursor, wholeNumber } from './paging.js';
import { errorPage, href, staleLinkPage, type PageContext } from './views/layout.js';

/** Problems named at most (a hostile query may hold thousands of names). */
const MAX_NAMED = 10;
/** A name is quoted up to this length. */
const NAME_MAX = 64;

/** What a parameter's value must be (an empty one is absent), and how a refusal says it. */
export interface Shape {
  test: (value: string) => boolean;
  says: string;
  /**
   * A page's position in a list (a cursor): refused on a page as a link no longer valid, with the
   * first page's link (stalePosition), so a reader paging a sample never loops back to page 1 unawares.
   */
  position?: true;
}

/** `before` and `after`: a position as a page's links give it. */
export const CURSOR: Shape = { test: (v) => parseCursor(v) !== undefined, says: 'a position as a page link gives it (time.id)', position: true };
/** A row's id: a whole number (a `+` before it taken, typed unencoded or not). */
export const WHOLE: Shape = { test: (v) => wholeNumber(v) !== undefined, says: 'a whole number' };

/**
 * What is wrong with a query's names: each parameter given more than once, (`strict`) each not in
 * `known`, and each whose value is not its shape.
 */
export function queryProblems(source: unknown, known: readonly string[], strict: boolean, shapes: Readonly<Record<string, Shape>> = {}): string[] {
  if (source === null || typeof source !== 'object') return [];
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    const shown = name.length > NAME_MAX ? `${name.slice(0, NAME_MAX)}…` : name;
    if (!known.includes(name)) {
      if (strict) unknown.push(shown);
    } else if (typeof value !== 'string') problems.push(`${shown}: given once`);
    else if (Object.hasOwn(shapes, name) && value.trim() !== '' && !shapes[name]!.test(value)) problems.push(`${shown}: ${shapes[name]!.says}`);
  }
  if (unknown.length) {
    const listed = unknown.slice(0, MAX_NAMED).join(', ') + (unknown.length > MAX_NAMED ? ` and ${unknown.length - MAX_NAMED} more` : '');
    problems.push(`not a parameter here: ${listed} (${known.length ? `one of ${known.join(', ')}` : 'it takes none'})`);
  }
  return problems;
}

/** A route's check of its query's names and shapes (queryProblems): strict on the API, refused with 400 naming them. */
export function checkedQuery(known: readonly string[], ctxOf: (req: Request, res: Response) => PageContext, shapes: Readonly<Record<string, Shape>> = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const api = isApi(req);
    const problems = queryProblems(req.query, known, api, shapes);
    if (problems.length === 0) {
      next();
      return;
    }
    const message = problems.join('; ');
    const positions = givenPositions(req.query, shapes);
    if (api) sendJson(res, { error: message }, 400);
    else if (positions.length) stalePosition(req, res, ctxOf(req, res), positions, Object.keys(shapes).filter((k) => shapes[k]!.position), message);
    else sendHtml(res, errorPage(ctxOf(req, res), 400, message), 400);
  };
}

/** The positions (Shape.position) a query gives that are not their shape: name and value. */
function givenPositions(source: unknown, shapes: Readonly<Record<string, Shape>>): Array<readonly [string, string]> {
  if (source === null || typeof source !== 'object') return [];
  return Object.entries(source as Record<string, unknown>).flatMap(([name, value]) => {
    const shape = Object.hasOwn(shapes, name) ? shapes[name]! : undefined;
    return shape?.position && typeof value === 'string' && value.trim() !== '' && !shape.test(value) ? [[name, value] as const] : [];
  });
}

/**
 * A list page asked for at a position no page link gives (malformed, cut, or forged): 400, an error
 * page saying the link is no longer valid, each position shown as device text is (escaped, cut),
 * and a link to the first page of the same view (the query without `positionNames`). Nothing is
 * logged or counted: a stale bookmark is no refusal of access.
 */
export function stalePosition(req: Request, res: Response, ctx: PageContext, given: ReadonlyArray<readonly [string, string]>, positionNames: readonly string[], message: string): void {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) if (!positionNames.includes(name) && typeof value === 'string') kept[name] = value;
  sendHtml(res, staleLinkPage(ctx, given, href(req.baseUrl + req.path, kept), message), 400);
}
