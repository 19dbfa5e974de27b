/** Types for generate.mjs, which the drift test imports. */
export declare const DOCUMENT: string;
export declare const SCHEMA: string;
export declare function generateTypes(documentPath?: string): Promise<string>;
