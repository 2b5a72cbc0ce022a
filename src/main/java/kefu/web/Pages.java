package kefu.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.FileLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders the server-side pages from {@code templates/pages/*.peb} with Pebble, HTML-escaped by default. Reads
 * the template file on first use: render on a worker thread.
 */
public final class Pages {
  private final PebbleEngine engine;

  public Pages(Path templatesDir) {
    FileLoader loader = new FileLoader();
    loader.setPrefix(templatesDir.resolve("pages").toString());
    loader.setSuffix(".peb");
    this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(true).build();
  }

  /** The page {@code name} (a path under templates/pages, without .peb) with {@code model}. */
  public String render(String name, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(name).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
