package kefu.desk;

import java.util.Locale;
import kefu.ticket.Ticket;

/**
 * A person who works the desk console: an agent, a supervisor or an admin.
 *
 * @param presence whether they take chats now; only online agents are given waiting customers
 */
public record Agent(long id, String login, String name, Role role, boolean active, Presence presence) {

  /** Whether {@code login} can be a login name: 3–64 letters, digits, . _ or -. */
  public static boolean isLogin(String login) {
    return login != null && login.matches("[A-Za-z0-9._-]{3,64}");
  }

  /** Whether {@code name} can be shown to colleagues and customers: 1–64 characters. */
  public static boolean isName(String name) {
    return name != null && !name.isBlank() && name.strip().length() <= 64;
  }

  /** Online agents are given chats; away and offline agents are not. */
  public enum Presence {
    ONLINE, AWAY, OFFLINE;

    /** The presence named {@code name} (online, away, offline). */
    public static Presence of(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Whether this agent may read the ticket's chat and write in it: the agent who has it, or anyone who oversees the
   * desk. Another agent's customers stay out of sight.
   */
  public boolean maySee(Ticket ticket) {
    return ticket.agentId().filter(agent -> agent == id).isPresent() || role.oversees();
  }

  /**
   * What an agent may do: agents take chats, supervisors also watch every queue and agent, admins manage agents;
   * marketing staff take no chats and see only campaigns and greetings.
   */
  public enum Role {
    AGENT, SUPERVISOR, ADMIN, MARKETING;

    /** Whether this role oversees the desk: every chat, queue, alert and report. */
    public boolean oversees() {
      return this == SUPERVISOR || this == ADMIN;
    }

    /** Whether this role sees campaigns and greetings. */
    public boolean markets() {
      return this != AGENT;
    }

    /** The role named {@code name} (agent, supervisor, admin). */
    public static Role of(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
