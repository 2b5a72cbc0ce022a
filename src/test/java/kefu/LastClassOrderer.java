package kefu;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Runs {@link LogHasNoCustomerDataTest} after every other test class, the others in the order they came. */
public final class LastClassOrderer implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    // A stable sort: the other classes keep their order.
    context.getClassDescriptors().sort(Comparator.comparing(c -> c.getTestClass() == LogHasNoCustomerDataTest.class));
  }
}
