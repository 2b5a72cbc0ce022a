package kefu.dialog;

import java.util.List;

/** What the bot says in one message: plain text, or choices the customer can tap or answer by number; or an article's card. */
public sealed interface Reply {

  /** The reply as plain text, for channels and places that show no buttons. */
  String asText();

  /** A plain text message. */
  record Text(String text) implements Reply {
    @Override
    public String asText() {
      return text;
    }
  }

  /**
   * Choices offered to the customer.
   *
   * @param head the line before the choices
   * @param choices what can be chosen, in order; the customer may also answer with the number
   * @param tail the line after the choices
   * @param numbered all of it as one numbered text
   */
  record Choices(String head, List<Choice> choices, String tail, String numbered) implements Reply {
    public Choices {
      choices = List.copyOf(choices);
    }

    @Override
    public String asText() {
      return numbered;
    }
  }

  /**
   * An article as a news card (图文): the title, the description and the cover picture, opening {@code url}.
   *
   * @param cover the picture, a file of templates/ by its path there
   */
  record News(String title, String description, String url, String cover) implements Reply {
    @Override
    public String asText() {
      return title + "\n" + description + "\n" + url;
    }
  }

  /** One choice: {@code id} comes back when it is tapped. */
  record Choice(String id, String label) {}
}
