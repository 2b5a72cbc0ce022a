package kefu.desk;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kefu.customer.CustomerRecord;
import kefu.journey.CallTasks;
import kefu.journey.Coverage;

/**
 * Call tasks, journey steps and coverage figures as the console's pages show them: times in the business's zone,
 * agents by name, phones masked, codes as keys the templates label.
 */
record CallViews(LocalTimes times) {
  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DAY_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** A call task in a list or on its page; {@code owner} and {@code doneBy} are names, empty for nobody. */
  public record ShownCall(long id, long recordId, String reference, String customer, String phone, boolean member, String plan,
      String step, boolean survey, long ownerId, String owner, String dueOn, boolean overdue, boolean waiting, String retryAt,
      int attempts, String status, String outcome, String notes, String feedback, String doneBy, String doneAt) {}

  /** An agent to choose in a form. */
  public record Named(long id, String name) {}

  ShownCall call(CallTasks.Task t, Map<Long, String> names, Instant now) {
    return new ShownCall(t.id(), t.recordId(), t.reference(), t.name().orElse(""), t.phone().map(CustomerRecord::masked).orElse(""), t.member(), t.plan(), t.step(), t.survey(),
        t.ownerAgentId().orElse(0L), t.ownerAgentId().map(id -> names.getOrDefault(id, "#" + id)).orElse(""), t.dueOn().toString(),
        t.overdue(now), t.waiting(now), t.retryAt().map(at -> HOUR_MINUTE.format(at.atZone(times.zone()))).orElse(""), t.attempts(),
        t.status(), t.outcome().orElse(""), t.notes().orElse(""), t.feedback().orElse(""),
        t.doneBy().map(id -> names.getOrDefault(id, "#" + id)).orElse(""),
        t.doneAt().map(at -> DAY_MINUTE.format(at.atZone(times.zone()))).orElse(""));
  }

  static List<Named> named(Map<Long, String> names) {
    List<Named> list = new ArrayList<>();
    names.forEach((id, name) -> list.add(new Named(id, name)));
    return list;
  }

  /** A step on its record's page. */
  public record ShownStep(String plan, String step, int occurrence, String dueAt, String status, String channel, String reason,
      String finishedAt) {}

  ShownStep step(CallTasks.Step s) {
    return new ShownStep(s.plan(), s.step(), s.occurrence(), DAY_MINUTE.format(s.dueAt().atZone(times.zone())), s.status(),
        s.channel().orElse(""), s.reason().orElse(""), s.finishedAt().map(at -> DAY_MINUTE.format(at.atZone(times.zone()))).orElse(""));
  }

  /** The calls of one step closed by one agent. */
  public record ShownWho(String plan, String step, String agent, int calls) {}

  List<ShownWho> byWhom(List<Coverage.ByWhom> byWhom, Map<Long, String> names) {
    return byWhom.stream().map(w -> new ShownWho(w.plan(), w.step(), names.getOrDefault(w.agentId(), "#" + w.agentId()), w.calls()))
        .toList();
  }

  /** A member customer not yet visited. */
  public record ShownMissing(long recordId, String reference, String customer, String plan, String step, String dueAt, String state) {}

  ShownMissing missing(Coverage.Missing m) {
    return new ShownMissing(m.recordId(), m.reference(), m.name().orElse(""), m.plan(), m.step(),
        DAY_MINUTE.format(m.dueAt().atZone(times.zone())), m.state());
  }
}
