package kefu.config;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * When a follow-up or a greeting may reach a customer (一个避免: never in their rest hours): outside the quiet hours and the lunch
 * rest, in the business's zone, and on a working day of the desk's calendar unless the step keeps its own day (a
 * greeting).
 */
public final class SendingHours {
  /** Far more moves than any rest and holiday season need; a calendar without working days stops here. */
  private static final int MOST_MOVES = 800;

  private final List<KefuConfig.Rest> rests = new ArrayList<>();
  private final BusinessCalendar calendar;

  public SendingHours(KefuConfig.Journey journey, BusinessCalendar calendar) {
    rests.add(journey.quiet());
    journey.lunchRest().ifPresent(rests::add);
    this.calendar = calendar;
  }

  public ZoneId zone() {
    return calendar.zone();
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /** When the quiet hours end: the time of a step whose plan gives none. */
  public LocalTime morning() {
    return rests.get(0).until();
  }

  /** Whether {@code at} is outside every rest (the day not considered). */
  public boolean outsideRests(Instant at) {
    LocalTime time = at.atZone(zone()).toLocalTime();
    return rests.stream().noneMatch(r -> r.contains(time));
  }

  /** Whether {@code at} falls on a working day of the calendar. */
  public boolean workday(Instant at) {
    return calendar.isWorkday(at.atZone(zone()).toLocalDate());
  }

  /** The first moment at or after {@code at} a step may go; on working days only unless {@code anyDay}. */
  public ZonedDateTime next(ZonedDateTime at, boolean anyDay) {
    ZonedDateTime t = at.withZoneSameInstant(zone());
    for (int i = 0; i < MOST_MOVES; i++) {
      if (!anyDay && !calendar.isWorkday(t.toLocalDate())) {
        // The next day at the same time: a call planned for 10:00 stays at 10:00.
        t = t.plusDays(1);
        continue;
      }
      LocalTime time = t.toLocalTime();
      KefuConfig.Rest rest = rests.stream().filter(r -> r.contains(time)).findFirst().orElse(null);
      if (rest == null) {
        return t;
      }
      // A rest across midnight entered in the evening ends the next morning.
      boolean endsTomorrow = rest.from().isAfter(rest.until()) && !time.isBefore(rest.from());
      t = t.toLocalDate().plusDays(endsTomorrow ? 1 : 0).atTime(rest.until()).atZone(zone());
    }
    throw new IllegalStateException("no moment to send within " + MOST_MOVES + " days of " + at + ": check desk.weekdays and desk.holidays");
  }
}
