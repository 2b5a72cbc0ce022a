package kefu.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Work over questions 0…n-1 split into contiguous slices that run at once on worker threads, and the waiting for
 * such work: a failure is thrown only when every task has ended, so none still runs on what the caller frees.
 */
final class Slices {
  /** One slice's work: questions {@code from} (inclusive) to {@code to}; {@code slice} numbers it from 0. */
  interface Work {
    void run(int slice, int from, int to) throws IOException;
  }

  private Slices() {}

  /**
   * Runs {@code work} over {@code count} slices of 0…n-1 on {@code workers} and waits for all; with no workers,
   * as one slice on this thread. {@code verb} names the work in errors ("cannot index a question").
   */
  static void run(int n, int count, ExecutorService workers, String verb, Work work) {
    if (workers == null) {
      try {
        work.run(0, 0, n);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot " + verb + " questions", e);
      }
      return;
    }
    List<Future<?>> tasks = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      int slice = s;
      int from = (int) ((long) n * s / count);
      int to = (int) ((long) n * (s + 1) / count);
      tasks.add(workers.submit(() -> {
        work.run(slice, from, to);
        return null;
      }));
    }
    await(tasks, verb);
  }

  /** Waits for every task, so none is still running when a failure is thrown. */
  static void await(List<Future<?>> tasks, String verb) {
    IllegalStateException failure = null;
    for (Future<?> f : tasks) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asked to " + verb + " questions", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot " + verb + " a question: " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
