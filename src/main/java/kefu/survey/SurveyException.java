package kefu.survey;

/** A survey file that cannot be used, with its file and line: kefu does not start with it. */
public final class SurveyException extends RuntimeException {
  SurveyException(String message) {
    super(message);
  }
}
