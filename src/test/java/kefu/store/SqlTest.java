package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.ticket.Ticket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link Sql} binds and {@link Row} reads back, on H2 and PostgreSQL alike. */
class SqlTest {
  private static final Instant T0 = Instant.parse("2026-11-01T08:00:00.123456Z");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void instantsEnumsOptionalsAndNullsRoundTrip(TestStore kind, @TempDir Path dir) throws Exception {
    // Proves: an Instant is stored as its UTC timestamp, an enum as its lower-case name, an empty Optional and null as
    // NULL, a present Optional as its value; insert returns the generated id.
    try (TestStore.Open store = kind.open(dir)) {
      store.db().inTransaction(c -> {
        long customer = Sql.insert(c, "INSERT INTO customers (openid, birthday, created_at, updated_at) VALUES (?, ?, ?, ?)",
            "o-sql", Optional.of(LocalDate.of(1990, 2, 28)), T0, T0);
        long conversation = Sql.insert(c, "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at)"
            + " VALUES (?, ?, ?, ?, ?)", customer, "wechat", "open", T0, T0);
        long ticket = Sql.insert(c, "INSERT INTO tickets (customer_id, conversation_id, kind, reason, status, created_at, updated_at,"
            + " agent_id, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", customer, conversation, Ticket.Kind.COMPLAINT,
            Ticket.Reason.ASKED, Ticket.Status.WAITING, T0, T0, Optional.empty(), null);

        assertThat(Sql.one(c, "SELECT kind, status FROM tickets WHERE id = ?",
            row -> row.string("kind") + "/" + row.string("status"), ticket)).hasValue("complaint/waiting");
        assertThat(Sql.one(c, "SELECT agent_id, closed_at, created_at, status FROM tickets WHERE id = ?",
            row -> List.of(row.optionalLong("agent_id"), row.optionalInstant("closed_at"), row.instant("created_at"),
                row.enumOf(Ticket.Status.class, "status")), ticket))
            .hasValue(List.of(Optional.empty(), Optional.empty(), T0, Ticket.Status.WAITING));
        assertThat(Sql.one(c, "SELECT birthday FROM customers WHERE id = ?", row -> row.date("birthday"), customer))
            .hasValue(LocalDate.of(1990, 2, 28));
        assertThat(Sql.count(c, "SELECT COUNT(*) FROM tickets WHERE status = ? AND created_at <= ?", Ticket.Status.WAITING, T0))
            .isEqualTo(1);
        assertThat(Sql.update(c, "UPDATE tickets SET agent_id = ? WHERE id = ? AND status = ?", Optional.of(7L), ticket,
            Ticket.Status.ASSIGNED)).isZero();
        assertThat(Sql.list(c, "SELECT id FROM tickets WHERE customer_id = ? ORDER BY id", row -> row.longValue("id"), customer))
            .containsExactly(ticket);
        assertThat(Sql.one(c, "SELECT id FROM tickets WHERE id = ?", row -> row.longValue("id"), ticket + 1)).isEmpty();
        return null;
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aNullReadAsAValueThatIsNeverNullIsAnError(TestStore kind, @TempDir Path dir) throws Exception {
    // Proves: instant() and date() refuse a NULL by naming the column, rather than a NullPointerException later.
    try (TestStore.Open store = kind.open(dir)) {
      assertThatThrownBy(() -> store.db().inTransaction(c -> {
        long customer = Sql.insert(c, "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)", "o-null", T0, T0);
        return Sql.one(c, "SELECT birthday FROM customers WHERE id = ?", row -> row.date("birthday"), customer);
      })).isInstanceOf(SQLException.class).hasMessageContaining("birthday");
    }
  }
}
