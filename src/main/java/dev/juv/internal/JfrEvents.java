package dev.juv.internal;

import dev.juv.LoopMetrics;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * juv's JFR events, category "juv". Nothing here is loaded until the flight recorder is
 * initialised (see {@link Monitor}); after that a callback asks {@link EventType#isEnabled()},
 * a field read. While a recording has SlowCallback on, each loop times its callbacks with one
 * event object of its own, begun and ended again for every callback and committed only for
 * those past the threshold: nothing is allocated per callback.
 */
final class JfrEvents {
    private JfrEvents() {}

    private static volatile EventType slow;
    private static volatile EventType exception;
    private static volatile EventType blocked;

    /** Registers the events and the periodic statistics; then tells the clocks JFR is there. */
    static synchronized void register() {
        if (LoopClock.jfr) {
            return;
        }
        FlightRecorder.register(SlowCallback.class);
        FlightRecorder.register(LoopBlocked.class);
        FlightRecorder.register(CallbackException.class);
        FlightRecorder.register(LoopStatistics.class);
        slow = EventType.getEventType(SlowCallback.class);
        exception = EventType.getEventType(CallbackException.class);
        blocked = EventType.getEventType(LoopBlocked.class);
        FlightRecorder.addPeriodicEvent(LoopStatistics.class, JfrEvents::statistics);
        LoopClock.jfr = true;
    }

    /** Whether a recording has SlowCallback on: a field read. */
    static boolean slowOn() {
        return slow.isEnabled();
    }

    /** A SlowCallback event for one loop, which begins and ends each of its callbacks in turn. */
    static Object newSlow() {
        return new SlowCallback();
    }

    static void begin(Object event) {
        ((SlowCallback) event).begin();
    }

    /** Ends the timing; whether the callback passed the recording's threshold. */
    static boolean endIsSlow(Object event) {
        SlowCallback e = (SlowCallback) event;
        e.end();
        return e.shouldCommit();
    }

    static void commitSlow(Object event, String kind, String handleType) {
        SlowCallback e = (SlowCallback) event;
        e.callbackKind = kind;
        e.handleType = handleType;
        e.commit();
    }

    static void exception(Throwable t) {
        if (exception.isEnabled()) {
            CallbackException e = new CallbackException();
            e.exceptionClass = t.getClass().getName();
            e.message = t.getMessage();
            e.commit();
        }
    }

    static void blocked(LoopClock c, Thread t, String kind, String type, long heldNanos) {
        if (blocked.isEnabled()) {
            LoopBlocked e = new LoopBlocked();
            e.loop = c.loopName;
            e.loopThread = t;
            e.callbackKind = kind;
            e.handleType = type;
            e.blockedFor = heldNanos;
            e.threshold = c.thresholdNanos;
            e.commit();
        }
    }

    private static void statistics() {
        for (LoopClock c : Monitor.clocks()) {
            if (!(c.metrics.get() instanceof LoopMetrics m)) {
                continue;
            }
            LoopStatistics e = new LoopStatistics();
            e.loop = c.loopName;
            e.loopThread = c.thread;
            e.idleTime = m.idleTime().toNanos();
            e.loopCount = m.loopCount();
            e.events = m.events();
            e.eventsWaiting = m.eventsWaiting();
            e.callbacks = m.callbacks();
            e.pendingTasks = m.pendingTasks();
            e.openHandles = m.openHandles();
            e.nativeBytes = m.nativeBytes();
            e.commit();
        }
    }

    @Name("dev.juv.SlowCallback")
    @Label("Slow Callback")
    @Category("juv")
    @Description("A libuv callback that held its event loop longer than the threshold; nothing else ran on the loop meanwhile.")
    @Threshold("20 ms")
    @StackTrace(false)
    static final class SlowCallback extends Event {
        @Label("Callback Kind")
        @Description("The libuv callback that ran: read, alloc, write, connection, timer, async (tasks given to Loop.execute), close...")
        String callbackKind;

        @Label("Handle Type")
        @Description("The type of the handle the callback belongs to: tcp, named_pipe, udp, timer...")
        String handleType;
    }

    @Name("dev.juv.LoopBlocked")
    @Label("Loop Blocked")
    @Category("juv")
    @Description("The watchdog found one callback holding its event loop past the loop's blocked threshold.")
    @StackTrace(false)
    static final class LoopBlocked extends Event {
        @Label("Loop")
        String loop;

        @Label("Loop Thread")
        @Description("The thread running the blocked loop.")
        Thread loopThread;

        @Label("Callback Kind")
        String callbackKind;

        @Label("Handle Type")
        String handleType;

        @Label("Blocked For")
        @Description("How long the watchdog had seen the callback running when it reported it (a lower bound).")
        @Timespan(Timespan.NANOSECONDS)
        long blockedFor;

        @Label("Threshold")
        @Timespan(Timespan.NANOSECONDS)
        long threshold;
    }

    @Name("dev.juv.CallbackException")
    @Label("Callback Exception")
    @Category("juv")
    @Description("A callback threw; the exception went to the loop's exception handler.")
    static final class CallbackException extends Event {
        @Label("Exception Class")
        String exceptionClass;

        @Label("Message")
        String message;
    }

    @Name("dev.juv.LoopStatistics")
    @Label("Loop Statistics")
    @Category("juv")
    @Description("The metrics of each open event loop, taken periodically.")
    @Period("1 s")
    @StackTrace(false)
    static final class LoopStatistics extends Event {
        @Label("Loop")
        String loop;

        @Label("Loop Thread")
        @Description("The thread running the loop, or null when no thread runs it.")
        Thread loopThread;

        @Label("Idle Time")
        @Description("The time the loop waited in its poll, 0 without idle-time metrics.")
        @Timespan(Timespan.NANOSECONDS)
        long idleTime;

        @Label("Loop Count")
        @Description("Loop iterations (libuv 1.45 or newer, else 0).")
        long loopCount;

        @Label("Events")
        @Description("Events the poll returned (libuv 1.45 or newer, else 0).")
        long events;

        @Label("Events Waiting")
        @Description("Events waiting when the poll was entered (libuv 1.45 or newer, else 0).")
        long eventsWaiting;

        @Label("Callbacks")
        long callbacks;

        @Label("Pending Tasks")
        int pendingTasks;

        @Label("Open Handles")
        int openHandles;

        @Label("Native Bytes")
        @Description("juv's live native memory in the whole process.")
        @DataAmount
        long nativeBytes;
    }
}
