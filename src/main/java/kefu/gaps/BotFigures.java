package kefu.gaps;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import kefu.kb.FaqEngine;
import kefu.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's figures on {@code /metrics}: today's questions, answers, suggestions (and picks), fallbacks and handoffs
 * as {@code kefu_bot_today{figure=…}}, read from the stored turns every 30 seconds and never during a scrape — every
 * node reports the same, so dashboards take the maximum over nodes — and the knowledge base this node serves: its
 * entries, questions and when it was built.
 */
public final class BotFigures implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BotFigures.class);
  private static final long REFRESH_MILLIS = 30_000;

  private final Database database;
  private final ZoneId zone;
  private final Clock clock;
  private final BotQuestions questions = new BotQuestions();
  private final AtomicReference<BotQuestions.Day> today;
  private final Vertx vertx;
  private final long timer;

  public BotFigures(Vertx vertx, Database database, FaqEngine engine, MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.zone = clock.getZone();
    this.clock = clock;
    this.today = new AtomicReference<>(new BotQuestions.Day(LocalDate.now(clock), 0, 0, 0, 0, 0, 0));
    figure(registry, "questions", "questions the bot searched the knowledge base for today", BotQuestions.Day::questions);
    figure(registry, "answered", "questions answered outright today", BotQuestions.Day::answered);
    figure(registry, "suggested", "questions answered with questions to pick from today", BotQuestions.Day::suggested);
    figure(registry, "picked", "suggestions the customer picked from today", BotQuestions.Day::picked);
    figure(registry, "fallbacks", "questions the bot found nothing for today", BotQuestions.Day::fallbacks);
    figure(registry, "handoffs", "customers handed to a person right after the bot's turn today", BotQuestions.Day::handoffs);
    Gauge.builder("kefu.kb.entries", engine, e -> e.snapshot().map(s -> s.index().entryCount()).orElse(0))
        .description("entries of the knowledge base this node serves").register(registry);
    Gauge.builder("kefu.kb.questions", engine, e -> e.snapshot().map(s -> s.index().questionCount()).orElse(0))
        .description("questions, standard and similar, of the knowledge base this node serves").register(registry);
    Gauge.builder("kefu.kb.built", engine, e -> e.snapshot().map(s -> s.builtAt().getEpochSecond()).orElse(0L))
        .baseUnit("timestamp_seconds").description("when the knowledge base this node serves was built, Unix time")
        .register(registry);
    this.timer = vertx.setPeriodic(1, REFRESH_MILLIS, tick -> database.transaction(this::refresh)
        .onFailure(e -> log.warn("The bot's figures were not read this time: {}", e.getMessage())));
  }

  private void figure(MeterRegistry registry, String name, String description, ToIntFunction<BotQuestions.Day> value) {
    Gauge.builder("kefu.bot.today", today, t -> value.applyAsInt(t.get())).tag("figure", name).description(description)
        .register(registry);
  }

  /** Reads today's figures afresh, in the caller's transaction; returns them. */
  public BotQuestions.Day refresh(Connection c) throws SQLException {
    BotQuestions.Day day = questions.day(c, LocalDate.now(clock), zone);
    today.set(day);
    return day;
  }

  /** The figures of today and the {@code days - 1} days before it, today first. */
  public List<BotQuestions.Day> lastDays(Connection c, int days) throws SQLException {
    LocalDate today = LocalDate.now(clock);
    List<BotQuestions.Day> figures = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      figures.add(questions.day(c, today.minusDays(i), zone));
    }
    return figures;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
