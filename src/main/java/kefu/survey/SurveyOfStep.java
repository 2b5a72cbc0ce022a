package kefu.survey;

import java.util.Optional;

/** Which survey a journey's step asks, from its plan (wired in App): a call task's phone form shows that survey. */
public interface SurveyOfStep {

  /** The survey the step {@code step} of the plan {@code plan} asks; empty if it asks none. */
  Optional<String> survey(String plan, String step);
}
