/** The engine's public surface: plain data in, findings out. */
export * from "./types";
export * from "./control";
export * from "./config";
export * from "./evaluate";
export * from "./exemptions";
export * from "./kinds";
export * from "./levels";
export * from "./parse";
export * from "./pod";
export * from "./psa-version";
export * from "./stack";
export { shapeErrors, type ShapeError } from "./shape";
export * from "./copy";
