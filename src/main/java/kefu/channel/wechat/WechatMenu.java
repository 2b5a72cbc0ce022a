package kefu.channel.wechat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kefu.template.TemplateException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** The official account's custom menu, read from {@code templates/wechat/menu.yaml} into WeChat's menu/create JSON. */
public final class WechatMenu {
  private static final int MAX_BUTTONS = 3;
  private static final int MAX_SUB_BUTTONS = 5;

  private WechatMenu() {}

  /** @throws TemplateException naming the file and the button that is wrong */
  public static JsonObject load(Path templatesDir) {
    Path file = templatesDir.resolve("wechat").resolve("menu.yaml");
    Object root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException | YAMLException e) {
      throw new TemplateException(file + ": cannot be read: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> map) || !(map.get("button") instanceof List<?> buttons) || buttons.isEmpty()) {
      throw new TemplateException(file + ": expected a list of buttons under button:");
    }
    return new JsonObject().put("button", buttons(file, buttons, MAX_BUTTONS, "button"));
  }

  private static JsonArray buttons(Path file, List<?> buttons, int max, String where) {
    if (buttons.size() > max) {
      throw new TemplateException(file + ": " + where + " has " + buttons.size() + " buttons; WeChat allows " + max);
    }
    JsonArray json = new JsonArray();
    for (int i = 0; i < buttons.size(); i++) {
      String at = where + " " + (i + 1);
      if (!(buttons.get(i) instanceof Map<?, ?> button) || !(button.get("name") instanceof String name) || name.isBlank()) {
        throw new TemplateException(file + ": " + at + " has no name");
      }
      JsonObject b = new JsonObject().put("name", name);
      if (button.get("sub_button") instanceof List<?> subs) {
        b.put("sub_button", buttons(file, subs, MAX_SUB_BUTTONS, at + " (" + name + ")"));
      } else if ("click".equals(button.get("type")) && button.get("key") instanceof String key && !key.isBlank()) {
        b.put("type", "click").put("key", key);
      } else if ("view".equals(button.get("type")) && button.get("url") instanceof String url && url.startsWith("http")) {
        b.put("type", "view").put("url", url);
      } else {
        throw new TemplateException(file + ": " + at + " (" + name + ") needs type click with a key, type view with a url, or sub_button");
      }
      json.add(b);
    }
    return json;
  }
}
