package dev.llmrouter.server;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the router takes traffic ({@code GET /health/ready}), and where each exchange runs: on
 * the work executor until a drain begins, then on the drain executor. The work executor is shut
 * down when the drain begins, and its ending is what a stop waits for; exchanges that arrive after
 * that are answered at once (probes as usual, API requests with a 503), so that a load balancer
 * learns of the drain instead of meeting a closed port.
 */
final class Readiness implements Executor {

  private enum State {
    /** Bound, but what the router needs is not all set up yet. */
    STARTING,
    READY,
    /** A stop has begun: requests in flight finish, new ones are refused. */
    DRAINING
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final ExecutorService work;
  private final ExecutorService drain;

  Readiness(ExecutorService work, ExecutorService drain) {
    this.work = work;
    this.drain = drain;
  }

  /** Everything is set up: ready, unless a drain has begun already. */
  void ready() {
    state.compareAndSet(State.STARTING, State.READY);
  }

  /** Not ready from now on; the work executor takes no new exchange. */
  void drain() {
    state.set(State.DRAINING);
    work.shutdown();
  }

  boolean draining() {
    return state.get() == State.DRAINING;
  }

  /** Why the router takes no traffic now, in one line; null when it does. */
  String notReady() {
    return switch (state.get()) {
      case STARTING -> "starting: not ready for traffic yet";
      case READY -> null;
      case DRAINING -> "draining: finishing the requests in flight, taking no new ones";
    };
  }

  @Override
  public void execute(Runnable exchange) {
    if (!draining()) {
      try {
        work.execute(exchange);
        return;
      } catch (RejectedExecutionException e) {
        // the drain began just now
      }
    }
    // Once this one is shut down too (the port is closing), the JDK closes the connection.
    drain.execute(exchange);
  }
}
