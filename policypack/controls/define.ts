/**
 * Identity helpers that fix a control's scope and let TypeScript check the literal against
 * the interfaces, so each control module reads as one declaration.
 */
import type { ResourceControl, StackControl } from "../engine/control";

export function resourceControl(control: Omit<ResourceControl, "scope">): ResourceControl {
  return { scope: "resource", ...control };
}

export function stackControl(control: Omit<StackControl, "scope">): StackControl {
  return { scope: "stack", ...control };
}
