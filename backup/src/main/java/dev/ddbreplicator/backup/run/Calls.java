package dev.ddbreplicator.backup.run;

import dev.ddbreplicator.core.retry.Retrier;
import java.util.concurrent.Callable;

/** Call helpers around the core {@link Retrier}. */
public final class Calls {

    private Calls() {
    }

    /**
     * Calls once; an error of one of the {@code definitive} types (a missing table or bucket: retrying
     * cannot help and the user should hear at once) is thrown as it is, anything else goes to the retrier.
     */
    @SafeVarargs
    public static <T> T firstThenRetry(Callable<T> action, Retrier retrier, Retrier.Listener listener,
                                       Class<? extends Exception>... definitive) throws Exception {
        try {
            return action.call();
        } catch (Exception e) {
            for (Class<? extends Exception> type : definitive) {
                if (type.isInstance(e)) {
                    throw e;
                }
            }
            listener.retrying(1, e);
            return retrier.call(action, listener);
        }
    }
}
