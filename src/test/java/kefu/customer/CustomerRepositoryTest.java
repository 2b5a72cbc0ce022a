package kefu.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CustomerRepositoryTest {
  private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
  private final CustomerRepository customers = new CustomerRepository();

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void firstContactCreatesTheCustomerOnce(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      Customer first = store.db().inTransaction(c -> customers.findOrCreate(c, "oABC123", T0));
      Customer again = store.db().inTransaction(c -> customers.findOrCreate(c, "oABC123", T0.plusSeconds(60)));

      assertThat(again.id()).isEqualTo(first.id());
      assertThat(first.openid()).isEqualTo("oABC123");
      assertThat(first.name()).isEmpty();
      assertThat(first.createdAt()).isEqualTo(T0);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void profileIsStoredAndReadBack(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      long id = store.db().inTransaction(c -> customers.findOrCreate(c, "oXYZ", T0)).id();
      CustomerProfile profile = new CustomerProfile(
          Optional.of("王小姐"), Optional.of("13800138000"), Optional.of(LocalDate.of(1995, 2, 14)), Optional.of("VIP 会员"),
          List.of("VIP", "老客户"));
      Instant later = T0.plus(1, ChronoUnit.DAYS);
      store.db().inTransaction(c -> {
        customers.updateProfile(c, id, profile, later);
        return null;
      });

      Customer read = store.db().inTransaction(c -> customers.byId(c, id)).orElseThrow();
      assertThat(read.name()).contains("王小姐");
      assertThat(read.phone()).contains("13800138000");
      assertThat(read.birthday()).contains(LocalDate.of(1995, 2, 14));
      assertThat(read.notes()).contains("VIP 会员");
      assertThat(read.tags()).containsExactly("VIP", "老客户");
      assertThat(read.maskedPhone()).contains("138****8000");
      assertThat(read.updatedAt()).isEqualTo(later);
      assertThat(read.toString()).doesNotContain("王小姐").doesNotContain("13800138000");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unknownOpenidIsEmpty(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      Optional<Customer> nobody = store.db().inTransaction(c -> customers.byOpenid(c, "nobody"));
      assertThat(nobody).isEmpty();
    }
  }
}
