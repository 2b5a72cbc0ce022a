package kefu.channel.wechat;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import kefu.dialog.Bot;
import kefu.dialog.Dialogue;
import kefu.dialog.Inbound;
import kefu.store.Database;

/**
 * Takes one inbound WeChat message through the bot: stores it, lets the bot decide, stores the replies and puts
 * each in the outbox — the first as the passive reply if the request can still carry it, the rest (or all, if
 * it cannot) to be sent through the API.
 */
final class WechatTurns {
  private final Database database;
  private final Bot bot;
  private final Outbox outbox;
  private final OutboxSender sender;
  private final WorkerExecutor workers;
  private final Clock clock;

  WechatTurns(Database database, Bot bot, Outbox outbox, OutboxSender sender, WorkerExecutor workers, Clock clock) {
    this.database = database;
    this.bot = bot;
    this.outbox = outbox;
    this.sender = sender;
    this.workers = workers;
    this.clock = clock;
  }

  /** Runs the turn on a worker; the result is the passive reply's text if {@code slot} was taken for it. */
  Future<Optional<String>> take(Inbound in, PassiveSlot slot) {
    return workers.executeBlocking(() -> run(in, slot), false);
  }

  private Optional<String> run(Inbound in, PassiveSlot slot) throws Exception {
    Optional<Dialogue.Opened> opened = database.inTransaction(c -> {
      Optional<Dialogue.Opened> o = bot.open(c, in);
      if (o.isPresent() && in.isMessage() && outbox.release(c, o.get().customer().id(), in.at()) > 0) {
        // Replies held for WeChat's quota may go now that the customer has written again.
        sender.wake();
      }
      return o;
    });
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    Dialogue.Decision decision = bot.decide(opened.get(), in);
    long customerId = opened.get().customer().id();
    Optional<String> passive = database.inTransaction(c -> {
      List<Dialogue.Said> said = bot.record(c, opened.get(), decision, clock.instant());
      Optional<String> first = Optional.empty();
      for (Dialogue.Said s : said) {
        if (first.isEmpty() && slot.take()) {
          outbox.addReplied(c, customerId, s.message().id(), s.reply(), clock.instant());
          first = Optional.of(s.reply().asText());
        } else {
          outbox.addPending(c, customerId, s.message().id(), s.reply(), clock.instant());
        }
      }
      return first;
    });
    if (decision.replies().size() > (passive.isPresent() ? 1 : 0)) {
      sender.wake();
    }
    return passive;
  }
}
