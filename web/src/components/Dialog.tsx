/**
 * A modal on the native <dialog>: showModal() makes the page behind inert (focus stays inside) and Escape
 * fires `cancel`. Focus goes to the element marked `data-autofocus` and returns to the opener on close.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** Props: `onClose` runs for Escape, the Cancel button, or the parent closing it. */
export interface DialogProps {
  title: string;
  /** Id for aria-labelledby; unique on the page. */
  id: string;
  onClose(): void;
  children: ComponentChildren;
}

/** Open while mounted. */
export function Dialog({ title, id, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  const onCancel = (event: Event) => {
    // Closing is the parent's decision (it unmounts us), so the DOM and the state never disagree.
    event.preventDefault();
    onClose();
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={`${id}-title`} onCancel={onCancel}>
      <h2 id={`${id}-title`} class="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
