import { RefreshCw, TriangleAlert } from 'lucide-react';
import { Button } from './Button.tsx';
import { EmptyState } from './EmptyState.tsx';

export interface ErrorStateProps {
  title?: string;
  /** The API's message, as it said it. */
  message: string;
  onRetry?: () => void;
  compact?: boolean;
  headingLevel?: 2 | 3;
}

/** Loading failed: say what happened in the API's words and offer to try again. */
export function ErrorState({ title = "Couldn't load this", message, onRetry, compact, headingLevel }: ErrorStateProps) {
  return (
    <div role="alert">
      <EmptyState
        icon={<TriangleAlert size={22} />}
        tone="danger"
        title={title}
        compact={compact}
        headingLevel={headingLevel}
        action={
          onRetry ? (
            <Button icon={<RefreshCw size={16} aria-hidden="true" />} onClick={onRetry}>
              Try again
            </Button>
          ) : undefined
        }
      >
        {message}
      </EmptyState>
    </div>
  );
}
