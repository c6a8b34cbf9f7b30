// Registered with `node --import` before a child process loads the server: makes the packages
// named in OVERTURE_HIDE_PACKAGES (comma-separated) unresolvable, the way Node reports a package
// that is not installed (ERR_MODULE_NOT_FOUND, "Cannot find package 'NAME' imported from …").
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
const hidden = ${JSON.stringify((process.env.OVERTURE_HIDE_PACKAGES ?? '').split(',').filter(Boolean))};
export async function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
    const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`)}`,
);
