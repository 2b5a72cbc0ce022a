package kefu.customer;

import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.store.Database;
import kefu.table.Column;
import kefu.table.Table;

/**
 * Imports the business's customer list (CSV or XLSX, read by {@link kefu.table.TableReader}) into customer records
 * and their milestones, with the columns the manuals keep: 票单号, 客户姓名, 电话, 生日 (solar, or lunar marked 农历),
 * 会员, 家庭住址, 套系, the staff, and the dates 预约/拍照/看样/取件/结婚 for the studio; 公司名, 联系人, 使用所在地, 型号,
 * 机身号, 购买日期, 保修到期, 预计更换时间 for equipment. English aliases are accepted for every column.
 *
 * <p>Every row is checked first; a row with a bad date, an unknown line, a malformed phone, a reference repeated in
 * the file … is refused with its line and why. Then the good rows all go in one transaction (or, with
 * {@link Mode#ALL_OR_NOTHING}, nothing goes in if any row was refused): never half a file. A reference already on
 * file is updated: its non-empty cells replace what is on file, its dates move the milestones (source
 * {@code import}); an empty cell never erases anything.
 *
 * <p>Dates may be written 2026-05-01, 2026/5/1, 2026.5.1, 2026年5月1日, 20260501 or as an Excel date, and also
 * relative to the day of the import — 今天, 今天+3, 今天-1 (or today+3) — which keeps sample files current.
 */
public final class CustomerImport {
  /** The lines records belong to, by what a file or the command line may call them. */
  public static final Map<String, String> LINES = Map.of(
      "studio", "studio", "影楼", "studio", "婚纱摄影", "studio",
      "equipment", "equipment", "办公设备", "equipment", "设备", "equipment");

  static final String REFERENCE = "票单号";
  static final String LINE = "业务线";
  static final String NAME = "客户姓名";
  static final String PHONE = "电话";
  static final String BIRTHDAY = "生日";
  static final String CALENDAR = "农历";
  static final String MEMBER = "会员";
  static final String ADDRESS = "家庭住址";
  static final String PACKAGE = "套系";
  static final String STAFF = "服务人员";
  static final String COMPANY = "公司名";
  static final String CONTACT = "联系人";
  static final String SITE = "使用所在地";
  static final String MODEL = "型号";
  static final String SERIAL = "机身号";
  /** The staff of each step of a studio order, as the manuals list them, kept together in {@code staff}. */
  private static final List<String> STAFF_ROLES = List.of("门市人员", "造型师", "摄影师", "礼服师");

  /** The date columns and the milestone each sets. */
  private static final Map<String, MilestoneKind> DATES = new LinkedHashMap<>();

  static {
    DATES.put("预约日期", MilestoneKind.BOOKING);
    DATES.put("拍照日期", MilestoneKind.SHOOT);
    DATES.put("看样日期", MilestoneKind.PROOFS);
    DATES.put("取件日期", MilestoneKind.PICKUP);
    DATES.put("结婚日期", MilestoneKind.WEDDING);
    DATES.put("购买日期", MilestoneKind.PURCHASE);
    DATES.put("保修到期", MilestoneKind.WARRANTY_END);
    DATES.put("预计更换时间", MilestoneKind.CONSUMABLES);
  }

  /** Every column read, with its aliases. */
  public static final List<Column> COLUMNS = List.of(
      Column.required(REFERENCE, "单号", "订单号", "工单号", "合同号", "客户编号", "reference", "order", "order number"),
      Column.optional(LINE, "业务", "line"),
      Column.optional(NAME, "姓名", "客户", "name"),
      Column.optional(PHONE, "联系电话", "手机", "手机号", "phone", "mobile"),
      Column.optional(BIRTHDAY, "出生日期", "birthday"),
      Column.optional(CALENDAR, "历法", "生日历法", "lunar"),
      Column.optional(MEMBER, "是否会员", "member"),
      Column.optional(ADDRESS, "地址", "住址", "address"),
      Column.optional(PACKAGE, "套系内容", "预约套系", "package"),
      Column.optional(STAFF, "员工", "staff"),
      Column.optional("门市人员", "门市", "sales"),
      Column.optional("造型师", "stylist"),
      Column.optional("摄影师", "photographer"),
      Column.optional("礼服师", "dresser"),
      Column.optional("预约日期", "预约", "booking", "booking date"),
      Column.optional("拍照日期", "拍摄日期", "拍照", "shoot", "shoot date"),
      Column.optional("看样日期", "选片日期", "看样", "选片", "proofs", "proofs date"),
      Column.optional("取件日期", "取件", "pickup", "pickup date"),
      Column.optional("结婚日期", "婚期", "婚礼日期", "wedding", "wedding date"),
      Column.optional(COMPANY, "公司", "公司名称", "单位", "company"),
      Column.optional(CONTACT, "contact"),
      Column.optional(SITE, "使用地点", "所在地", "地点", "site"),
      Column.optional(MODEL, "机型", "model"),
      Column.optional(SERIAL, "序列号", "机号", "serial", "serial number"),
      Column.optional("购买日期", "购买", "purchase", "purchase date"),
      Column.optional("保修到期", "保修截止", "保修到期日", "warranty end", "warranty"),
      Column.optional("预计更换时间", "耗材预计更换", "耗材更换日期", "consumables", "consumables date"));

  /** What {@link #run} does with a file that has refused rows. */
  public enum Mode {
    /** The good rows go in (in one transaction), the refused are listed. */
    VALID_ROWS,
    /** Nothing goes in if any row is refused. */
    ALL_OR_NOTHING
  }

  /** A row not imported: its line in the file and why. */
  public record Refused(int line, String reason) {}

  /**
   * What an import did.
   *
   * @param rows the rows under the header that are not blank
   * @param created records new to the file, {@code updated} those already on file (0 for a dry run or nothing written)
   * @param milestones milestones added or moved
   * @param written whether anything was written: false for a dry run, and when {@link Mode#ALL_OR_NOTHING} met a refused row
   */
  public record Report(String format, int rows, int created, int updated, int milestones, List<Refused> refused,
      List<Table.Note> notes, boolean written) {
    public Report {
      refused = List.copyOf(refused);
      notes = List.copyOf(notes);
    }
  }

  /** A row as it will be written. */
  private record Good(String reference, String line, CustomerRecord.Details details, Map<MilestoneKind, LocalDate> dates) {}

  private static final Pattern MOBILE = Pattern.compile("(\\+?86)?1[3-9]\\d{9}");
  private static final Pattern LANDLINE = Pattern.compile("(0\\d{2,3}-?)?[2-9]\\d{6,7}(-\\d{1,6})?");
  private static final Pattern YMD = Pattern.compile("(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?");
  private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
  private static final Pattern RELATIVE = Pattern.compile("(今天|today)\\s*(?:([+-])\\s*(\\d{1,4})\\s*(?:天|d)?)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern EXCEL_DAY = Pattern.compile("\\d{5}(\\.0+)?");
  private static final Pattern MONTH_DAY = Pattern.compile("(?:(\\d{4})\\s*[-/.年]\\s*)?(闰)?\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?");
  private static final Pattern CHINESE_MONTH_DAY = Pattern.compile("(?:(\\d{4})\\s*年\\s*)?(闰)?\\s*([正一二三四五六七八九十冬腊]{1,3})月\\s*([初十廿二三][一二三四五六七八九十])");
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

  private final Database database;
  private final CustomerRecords records;
  private final Clock clock;

  public CustomerImport(Database database, CustomerRecords records, Clock clock) {
    this.database = database;
    this.records = records;
    this.clock = clock;
  }

  /**
   * Imports {@code table}.
   *
   * @param line the line of rows without a 业务线 cell; empty: such rows are refused
   * @param dryRun check every row and write nothing
   */
  public Report run(Table table, Optional<String> line, Mode mode, boolean dryRun) throws SQLException {
    List<Refused> refused = new ArrayList<>();
    List<Good> good = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    LocalDate today = LocalDate.now(clock);
    for (Table.Row row : table.rows()) {
      List<String> reasons = new ArrayList<>();
      Optional<Good> checked = check(row, line, today, table.format().equals("XLSX"), reasons);
      if (checked.isPresent()) {
        Integer first = seen.putIfAbsent(checked.get().reference(), row.line());
        if (first != null) {
          reasons.add(REFERENCE + " " + checked.get().reference() + " is also on line " + first + "; one row per reference");
        }
      }
      if (row.width() > table.columns()) {
        reasons.add("the row has " + row.width() + " cells, the header row " + table.columns()
            + (table.format().startsWith("CSV") ? "; a cell with a comma in it needs double quotes around it" : ""));
      }
      if (reasons.isEmpty()) {
        good.add(checked.orElseThrow());
      } else {
        refused.add(new Refused(row.line(), String.join("; ", reasons)));
      }
    }
    if (dryRun || good.isEmpty() || mode == Mode.ALL_OR_NOTHING && !refused.isEmpty()) {
      return new Report(table.format(), table.rows().size(), 0, 0, 0, refused, table.notes(), false);
    }
    int[] counts = database.inTransaction(c -> {
      int created = 0;
      int updated = 0;
      int moved = 0;
      for (Good row : good) {
        boolean known = records.byReference(c, row.reference()).isPresent();
        CustomerRecord record = records.save(c, row.reference(), row.line(), row.details(), clock.instant());
        if (known) {
          updated++;
        } else {
          created++;
        }
        for (Map.Entry<MilestoneKind, LocalDate> date : row.dates().entrySet()) {
          if (records.setMilestone(c, record.id(), date.getKey(), date.getValue(), Milestone.Source.IMPORT, clock.instant())
              != CustomerRecords.Change.UNCHANGED) {
            moved++;
          }
        }
      }
      return new int[] {created, updated, moved};
    });
    return new Report(table.format(), table.rows().size(), counts[0], counts[1], counts[2], refused, table.notes(), true);
  }

  private Optional<Good> check(Table.Row row, Optional<String> defaultLine, LocalDate today, boolean xlsx, List<String> reasons) {
    String reference = oneLine(row.cell(REFERENCE));
    if (reference.isEmpty()) {
      reasons.add(REFERENCE + " is empty");
    } else if (reference.length() > CustomerRecords.MAX_REFERENCE) {
      reasons.add(REFERENCE + " is longer than " + CustomerRecords.MAX_REFERENCE + " characters");
    }
    String lineCell = oneLine(row.cell(LINE));
    Optional<String> line = lineCell.isEmpty() ? defaultLine : Optional.ofNullable(LINES.get(lineCell.toLowerCase(Locale.ROOT)));
    if (line.isEmpty()) {
      reasons.add(lineCell.isEmpty() ? LINE + " is empty and no line was given (--line studio or equipment)"
          : LINE + " \"" + lineCell + "\" is not a known line (studio/影楼 or equipment/办公设备)");
    }
    Optional<String> phone = Optional.of(row.cell(PHONE).replaceAll("[\\s\\u3000()（）]", "")).filter(p -> !p.isEmpty());
    if (phone.isPresent() && !(MOBILE.matcher(phone.get()).matches() || LANDLINE.matcher(phone.get()).matches())) {
      reasons.add(PHONE + " is not a phone number (a mobile of 11 digits, or a landline like 020-61006800)");
    }
    Optional<Birthday> birthday = Optional.empty();
    String born = oneLine(row.cell(BIRTHDAY));
    if (!born.isEmpty()) {
      try {
        birthday = Optional.of(birthday(born, row.cell(CALENDAR), today));
      } catch (IllegalArgumentException e) {
        reasons.add(BIRTHDAY + " \"" + born + "\" " + e.getMessage());
      }
    }
    Optional<Boolean> member = yesNo(row.cell(MEMBER));
    if (member.isEmpty()) {
      reasons.add(MEMBER + " \"" + oneLine(row.cell(MEMBER)) + "\" is not 是 or 否");
    }
    Map<MilestoneKind, LocalDate> dates = new EnumMap<>(MilestoneKind.class);
    DATES.forEach((column, kind) -> {
      String cell = oneLine(row.cell(column));
      if (!cell.isEmpty()) {
        date(cell, today, xlsx).ifPresentOrElse(d -> dates.put(kind, d),
            () -> reasons.add(column + " \"" + cell + "\" is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)"));
      }
    });
    List<String> staff = new ArrayList<>();
    Optional.of(oneLine(row.cell(STAFF))).filter(s -> !s.isEmpty()).ifPresent(staff::add);
    for (String role : STAFF_ROLES) {
      Optional.of(oneLine(row.cell(role))).filter(s -> !s.isEmpty()).ifPresent(name -> staff.add(role + "：" + name));
    }
    CustomerRecord.Details details = new CustomerRecord.Details(text(row, NAME, 100, reasons), phone, birthday,
        member.orElse(false), text(row, ADDRESS, 300, reasons), text(row, PACKAGE, 100, reasons),
        text(row, COMPANY, 200, reasons), text(row, CONTACT, 100, reasons), text(row, SITE, 300, reasons),
        text(row, MODEL, 100, reasons), text(row, SERIAL, 100, reasons),
        bounded(STAFF, String.join("；", staff), 200, reasons));
    if (phone.filter(p -> p.length() > 32).isPresent()) {
      reasons.add(PHONE + " is longer than 32 characters");
    }
    if (!reasons.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Good(reference, line.orElseThrow(), details, dates));
  }

  private static Optional<String> text(Table.Row row, String column, int max, List<String> reasons) {
    return bounded(column, oneLine(row.cell(column)), max, reasons);
  }

  private static Optional<String> bounded(String column, String text, int max, List<String> reasons) {
    if (text.length() > max) {
      reasons.add(column + " is longer than " + max + " characters");
    }
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static String oneLine(String cell) {
    return cell.replace('\n', ' ').strip();
  }

  /** 是/否 and their English and digit forms; an empty cell is 否. */
  static Optional<Boolean> yesNo(String cell) {
    return switch (oneLine(cell).toLowerCase(Locale.ROOT)) {
      case "", "否", "不是", "非会员", "n", "no", "0", "false", "×" -> Optional.of(false);
      case "是", "会员", "y", "yes", "1", "true", "√", "✓" -> Optional.of(true);
      default -> Optional.empty();
    };
  }

  /**
   * A date cell: written out, an Excel day number (in a workbook), or relative to {@code today}.
   */
  static Optional<LocalDate> date(String cell, LocalDate today, boolean xlsx) {
    try {
      Matcher m = RELATIVE.matcher(cell);
      if (m.matches()) {
        long days = m.group(2) == null ? 0 : Long.parseLong(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
        return Optional.of(today.plusDays(days));
      }
      m = YMD.matcher(cell);
      if (m.matches() || (m = COMPACT.matcher(cell)).matches()) {
        return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
      }
      if (xlsx && EXCEL_DAY.matcher(cell).matches()) {
        return Optional.of(EXCEL_EPOCH.plusDays((long) Double.parseDouble(cell)));
      }
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * A birthday cell: 1992-05-17 (solar), 农历1992-04-08, 农历闰四月初八, 05-17 without a year; the 农历 column (是, 农历)
   * marks the cell lunar too. 今天, 今天+3 is the month and day that many days from {@code today}, its year unknown: a
   * solar birthday, as the shipped samples have, so that importing them any day gives greetings soon.
   */
  static Birthday birthday(String cell, String calendarCell, LocalDate today) {
    String text = cell.strip();
    boolean lunar = false;
    for (String mark : List.of("农历", "阴历", "(农)", "（农）")) {
      if (text.contains(mark)) {
        lunar = true;
        text = text.replace(mark, "").strip();
      }
    }
    for (String mark : List.of("公历", "阳历", "新历")) {
      text = text.replace(mark, "").strip();
    }
    String calendar = oneLine(calendarCell);
    if (calendar.equals("农历") || calendar.equals("阴历") || yesNo(calendar).orElse(false)) {
      lunar = true;
    }
    if (RELATIVE.matcher(text).matches()) {
      if (lunar) {
        throw new IllegalArgumentException("is relative (今天+3), which a lunar birthday cannot be: write its lunar month and day");
      }
      LocalDate day = date(text, today, false).orElseThrow();
      return new Birthday(Optional.empty(), day.getMonthValue(), day.getDayOfMonth(), false, false);
    }
    Matcher m = MONTH_DAY.matcher(text);
    if (m.matches()) {
      return new Birthday(Optional.ofNullable(m.group(1)).map(Integer::parseInt), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), lunar, m.group(2) != null && lunar);
    }
    m = CHINESE_MONTH_DAY.matcher(text);
    if (m.matches()) {
      // 四月初八 is always a lunar date.
      return new Birthday(Optional.ofNullable(m.group(1)).map(Integer::parseInt), lunarMonth(m.group(3)), lunarDay(m.group(4)),
          true, m.group(2) != null);
    }
    throw new IllegalArgumentException("is not a birthday (1992-05-17, 农历1992-04-08, 农历四月初八 or 今天+3)");
  }

  private static final String DIGITS = "一二三四五六七八九十";

  private static int lunarMonth(String name) {
    return switch (name) {
      case "正" -> 1;
      case "冬" -> 11;
      case "腊" -> 12;
      default -> {
        if (name.length() == 1) {
          yield DIGITS.indexOf(name) + 1;
        }
        if (name.length() == 2 && name.charAt(0) == '十') {
          yield 10 + DIGITS.indexOf(name.charAt(1)) + 1;
        }
        throw new IllegalArgumentException("has no lunar month " + name + "月");
      }
    };
  }

  private static int lunarDay(String name) {
    int unit = DIGITS.indexOf(name.charAt(1)) + 1;
    return switch (name.charAt(0)) {
      case '初' -> unit;
      case '十' -> 10 + unit;
      case '廿' -> 20 + unit;
      case '二' -> name.charAt(1) == '十' ? 20 : fail(name);
      case '三' -> name.charAt(1) == '十' ? 30 : fail(name);
      default -> fail(name);
    };
  }

  private static int fail(String name) {
    throw new IllegalArgumentException("has no lunar day " + name);
  }
}
