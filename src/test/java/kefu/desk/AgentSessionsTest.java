package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.TestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Console sessions in the database: found while used, gone once idle past the timeout, also when never used again. */
class AgentSessionsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
  private final AgentSessions sessions = new AgentSessions(Duration.ofMinutes(30));

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void idleSessionsArePurgedWithoutTheirCookieComingBack(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      AgentSessions.Opened[] opened = db.db().inTransaction(c -> {
        Agent agent = new AgentRepository().add(c, "wangfang", "王芳", Agent.Role.AGENT, "unused", T0).orElseThrow();
        return new AgentSessions.Opened[] {sessions.open(c, agent, T0), sessions.open(c, agent, T0)};
      });
      assertThat(find(db, opened[1], 20)).isPresent();

      int purged = db.db().<Integer>inTransaction(c -> sessions.purge(c, T0.plus(Duration.ofMinutes(45))));
      assertThat(purged).as("the session unused since T0; the other was used at T0+20").isEqualTo(1);
      assertThat(find(db, opened[1], 45)).isPresent();
    }
  }

  private Optional<AgentSessions.Session> find(TestStore.Open db, AgentSessions.Opened opened, int minutesLater) throws Exception {
    return db.db().inTransaction(c -> sessions.find(c, opened.token(), T0.plus(Duration.ofMinutes(minutesLater))));
  }
}
