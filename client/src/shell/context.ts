export interface User {
  id: number;
  username: string;
  displayName: string;
  role: string;
  schoolId: number | null;
}

/** What the shell hands every view. */
export interface ViewContext {
  user: User;
  /** Re-renders the current view (e.g. after a language switch). */
  rerender(): void;
  signOut(): Promise<void>;
}

export type RenderView = (root: HTMLElement, ctx: ViewContext) => void | (() => void) | Promise<void | (() => void)>;
