// solc-js ships no type declarations; this covers the slice of its API the build uses.
declare module 'solc' {
  interface ImportResult {
    contents?: string;
    error?: string;
  }
  interface CompileCallbacks {
    import?: (path: string) => ImportResult;
  }
  interface Solc {
    version(): string;
    compile(input: string, callbacks?: CompileCallbacks): string;
  }
  const solc: Solc;
  export default solc;
}
