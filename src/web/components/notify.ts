import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/client';

/** Toasts: one place decides how success and failure look. */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'green', title, message, autoClose: 4000 });
}

export function notifyError(error: unknown, title = 'Something went wrong'): void {
  const message = isApiError(error)
    ? error.summary
    : error instanceof Error
      ? error.message
      : 'Unexpected error.';
  notifications.show({ color: 'red', title, message, autoClose: 8000 });
}
