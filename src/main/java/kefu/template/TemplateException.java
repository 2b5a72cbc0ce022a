package kefu.template;

/** A template file that cannot be used, or a template a feature needs that no file defines. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }
}
