// The one function of js-yaml (a devDependency, for the workflow tests) that the tests use;
// @types/js-yaml is not installed.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
