package kefu.kb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kefu.table.Column;
import kefu.table.Table;
import kefu.table.TableException;
import kefu.table.TableReader;

/**
 * Imports a spreadsheet of questions and answers (CSV or XLSX, columns 问题, 相似问法, 答案, 分类) into topic
 * files {@code import-<topic>.yaml}, one per 分类, in a knowledge-base directory.
 *
 * <p>Each good row becomes one entry; a row that cannot be one — an empty 问题 or 答案, a question already in an
 * earlier row or in the knowledge base, a field over its limit — is rejected with its line and the reason, and
 * the other rows are still written. 相似问法 holds several questions, one per line of the cell or separated by
 * {@code |} or {@code ;}/{@code ；}. An empty 分类 puts the row in the topic {@value #NO_TOPIC}.
 *
 * <p>Ids are {@code <pinyin of the topic>-<8 hex digits>}, the digits from a SHA-256 hash of the topic and the
 * question (as compared, so {@code 吗?} and {@code 吗} give the same id): the same row gets the same id on every
 * import, wherever it is in the file. Should two ids collide, the later one takes more digits.
 */
public final class KbImporter {
  public static final int MAX_QUESTION = 200;
  public static final int MAX_ANSWER = 4000;
  public static final int MAX_TOPIC = 50;
  public static final String NO_TOPIC = "未分类";

  private static final Pattern SIMILAR_SEPARATORS = Pattern.compile("[\n|｜;；]");
  private static final Pattern WHITESPACE = Pattern.compile("[\\p{javaWhitespace}\\p{Zs}]+");
  private static final int HASH_DIGITS = 8;
  private static final int SHOWN = 20;

  static final String QUESTION = "问题";
  static final String SIMILAR = "相似问法";
  static final String ANSWER = "答案";
  static final String TOPIC = "分类";
  private static final List<Column> COLUMNS = List.of(
      Column.required(QUESTION), Column.optional(SIMILAR), Column.required(ANSWER), Column.optional(TOPIC));

  /** Where a topic goes: its slug, for ids, and its file. */
  private record Target(String slug, Path file) {}

  private final Path file;
  private final Path outDir;
  private final List<Problem> rejected = new ArrayList<>();
  private final List<Problem> notes = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  /** Every question taken so far, by {@link QuestionKey}: by an existing entry or by an earlier row. */
  private final Map<String, String> taken = new HashMap<>();

  private KbImporter(Path file, Path outDir) {
    this.file = file;
    this.outDir = outDir;
  }

  /**
   * Imports {@code file} into the knowledge base in {@code outDir}, which is created if needed, then loads
   * {@code outDir} to check the result.
   *
   * @param force replace topic files that exist; without it, an existing file stops the import
   * @throws ImportException if nothing can be imported: the file cannot be read or lacks columns, the
   *     knowledge base in {@code outDir} has problems, a file exists without {@code force}
   */
  public static ImportReport importFile(Path file, Path outDir, boolean force) throws ImportException {
    return new KbImporter(file, outDir).run(force);
  }

  private ImportReport run(boolean force) throws ImportException {
    Table table;
    try {
      table = TableReader.read(file, COLUMNS);
    } catch (TableException e) {
      throw new ImportException(new Problem(file, e.line(), e.getMessage()));
    }
    table.notes().forEach(note -> notes.add(new Problem(file, note.line(), note.message())));
    Map<String, Target> targets = targets(table.rows());
    takeExisting(targets.values().stream().map(Target::file).collect(Collectors.toSet()));

    Map<String, List<Entry>> byTopic = new TreeMap<>();
    for (Table.Row row : table.rows()) {
      entry(row, table, targets).ifPresent(entry -> byTopic.computeIfAbsent(entry.topic(), t -> new ArrayList<>()).add(entry));
    }
    if (!force) {
      for (String topic : byTopic.keySet()) {
        Path target = targets.get(topic).file();
        if (Files.exists(target)) {
          throw new ImportException(new Problem(target, 0, "exists already; import with --force to replace it"));
        }
      }
    }
    List<ImportReport.WrittenFile> written = write(byTopic, targets);
    List<Problem> problemsAfter = List.of();
    if (!written.isEmpty()) {
      try {
        KnowledgeBaseLoader.load(outDir);
      } catch (KnowledgeBaseException e) {
        problemsAfter = e.problems();
      }
    }
    return new ImportReport(file, table.format(), table.rows().size(), written, rejected, notes, problemsAfter);
  }

  /** The file each topic of the table goes to; topics whose slugs clash get a hash of their name added. */
  private Map<String, Target> targets(List<Table.Row> rows) {
    Set<String> topics = new TreeSet<>();
    rows.forEach(row -> topics.add(topic(row)));
    Map<String, Target> targets = new HashMap<>();
    Set<String> slugs = new HashSet<>();
    for (String topic : topics) {
      String slug = TopicSlug.of(topic);
      if (!slugs.add(slug)) {
        slug = slug + "-" + hash(topic).substring(0, 4);
        slugs.add(slug);
      }
      targets.put(topic, new Target(slug, outDir.resolve("import-" + slug + ".yaml")));
    }
    return targets;
  }

  /**
   * Takes the ids and questions of the knowledge base already in {@code outDir}, except those in the files this
   * import replaces: importing the same file again must not collide with its own earlier result.
   */
  private void takeExisting(Set<Path> replaced) throws ImportException {
    List<Path> files;
    try {
      files = Files.isDirectory(outDir) ? KnowledgeBaseLoader.topicFiles(outDir) : List.of();
    } catch (IOException e) {
      throw new ImportException(new Problem(outDir, 0, "cannot be read: " + e.getMessage()));
    }
    if (files.isEmpty()) {
      return;
    }
    KnowledgeBase existing;
    try {
      existing = KnowledgeBaseLoader.load(outDir);
    } catch (KnowledgeBaseException e) {
      throw new ImportException(new Problem(outDir, 0, "the knowledge base here has problems; fix them first"
          + " (kefu kb-check " + outDir + "):\n" + e.getMessage()));
    }
    for (Entry entry : existing.entries()) {
      if (replaced.contains(entry.source().file())) {
        continue;
      }
      ids.add(entry.id());
      for (String question : entry.questions()) {
        taken.put(QuestionKey.of(question), "in the knowledge base, entry " + entry.id() + " at " + entry.source());
      }
    }
  }

  private Optional<Entry> entry(Table.Row row, Table table, Map<String, Target> targets) {
    if (row.width() > table.columns()) {
      // Which cell is which is unknown: importing it would put part of an answer into another column.
      rejected.add(new Problem(file, row.line(), "the row has " + row.width() + " cells, the header row " + table.columns()
          + (table.format().startsWith("CSV") ? "; a cell with a comma in it needs double quotes around it, like \"您好,可以的\"" : "")));
      return Optional.empty();
    }
    String question = oneLine(row.cell(QUESTION));
    String answer = answer(row.cell(ANSWER));
    String topic = topic(row);
    List<String> similar = similar(row, question);
    List<String> reasons = new ArrayList<>();
    if (question.isEmpty()) {
      reasons.add(QUESTION + " is empty");
    }
    tooLong(QUESTION, question, MAX_QUESTION).ifPresent(reasons::add);
    similar.forEach(text -> tooLong(SIMILAR + " " + shown(text), text, MAX_QUESTION).ifPresent(reasons::add));
    if (answer.isEmpty()) {
      reasons.add(ANSWER + " is empty");
    }
    tooLong(ANSWER, answer, MAX_ANSWER).ifPresent(reasons::add);
    tooLong(TOPIC, topic, MAX_TOPIC).ifPresent(reasons::add);
    if (!question.isEmpty()) {
      alreadyTaken(QUESTION, question).ifPresent(reasons::add);
    }
    similar.forEach(text -> alreadyTaken(SIMILAR, text).ifPresent(reasons::add));
    if (!reasons.isEmpty()) {
      rejected.add(new Problem(file, row.line(), String.join("; ", reasons)));
      return Optional.empty();
    }
    String where = "on line " + row.line();
    taken.put(QuestionKey.of(question), where);
    similar.forEach(text -> taken.put(QuestionKey.of(text), where));
    return Optional.of(new Entry(id(targets.get(topic).slug(), topic, question), topic, question, similar, answer, List.of(), false,
        Optional.empty(), new Entry.Source(file, row.line())));
  }

  private Optional<String> alreadyTaken(String column, String question) {
    return Optional.ofNullable(taken.get(QuestionKey.of(question)))
        .map(where -> column + " " + shown(question) + " is already " + where);
  }

  /** The questions of 相似问法, without repeats of each other or of 问题 (those get a note). */
  private List<String> similar(Table.Row row, String question) {
    Set<String> keys = new HashSet<>();
    keys.add(QuestionKey.of(question));
    List<String> similar = new ArrayList<>();
    for (String part : SIMILAR_SEPARATORS.split(row.cell(SIMILAR))) {
      String text = oneLine(part);
      if (text.isEmpty()) {
        continue;
      }
      if (keys.add(QuestionKey.of(text))) {
        similar.add(text);
      } else {
        notes.add(new Problem(file, row.line(), SIMILAR + " " + shown(text) + " repeats a question of the"
            + " same row; imported once"));
      }
    }
    return similar;
  }

  private String id(String slug, String topic, String question) {
    String hash = hash(topic + "\n" + QuestionKey.of(question));
    for (int digits = HASH_DIGITS; digits <= hash.length(); digits += 4) {
      String id = slug + "-" + hash.substring(0, digits);
      if (ids.add(id)) {
        return id;
      }
    }
    throw new IllegalStateException("two different questions with the same SHA-256 hash");
  }

  private List<ImportReport.WrittenFile> write(Map<String, List<Entry>> byTopic, Map<String, Target> targets)
      throws ImportException {
    List<ImportReport.WrittenFile> written = new ArrayList<>();
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new ImportException(new Problem(outDir, 0, "cannot be created: " + e.getMessage()));
    }
    for (Map.Entry<String, List<Entry>> topic : byTopic.entrySet()) {
      Path target = targets.get(topic.getKey()).file();
      String text = TopicFileWriter.write(topic.getKey(), topic.getValue(), List.of(
          "由 kefu kb-import 从 " + file.getFileName().toString().replaceAll("\\p{Cntrl}", "?") + " 导入。",
          "再次导入时(--force)本文件会被整个替换;要长期修改,请改导入表格,或把条目移到别的文件。"));
      // Written beside the target and then renamed, so a reader never sees half a file; the leading dot keeps
      // the loader away from it meanwhile.
      Path partial = outDir.resolve("." + target.getFileName() + ".partial");
      try {
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new ImportException(new Problem(target, 0, "cannot be written: " + e.getMessage()));
      }
      written.add(new ImportReport.WrittenFile(target, topic.getKey(), topic.getValue().size()));
    }
    written.sort((a, b) -> a.file().getFileName().toString().compareTo(b.file().getFileName().toString()));
    return written;
  }

  private static String topic(Table.Row row) {
    String topic = oneLine(row.cell(TOPIC));
    return topic.isEmpty() ? NO_TOPIC : topic;
  }

  private static String oneLine(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  /** The answer with its lines kept and spaces at their ends dropped, which would stop it being a | block. */
  private static String answer(String text) {
    return text.lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("").strip();
  }

  private static Optional<String> tooLong(String what, String text, int limit) {
    int length = text.codePointCount(0, text.length());
    return length > limit
        ? Optional.of(what + " has " + length + " characters, more than " + limit)
        : Optional.empty();
  }

  /** The text in quotes, cut short: a reason names a question, it does not repeat a paragraph. */
  private static String shown(String text) {
    return "\"" + (text.codePointCount(0, text.length()) > SHOWN
        ? text.substring(0, text.offsetByCodePoints(0, SHOWN)) + "…"
        : text) + "\"";
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
