package kefu.kb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads and validates a knowledge-base directory: every topic file {@code *.yaml} and the optional
 * {@code synonyms.txt}.
 *
 * <p>Validation does not stop at the first mistake: a {@link KnowledgeBaseException} lists all of them, so one
 * run of {@code kefu kb-check} shows everything to fix. Files are read in name order, which makes the entries,
 * and which of two duplicates is reported, the same on every run. Hidden files ({@code .name.yaml}, as editors
 * and the importer leave them while writing) are skipped; sub-directories are not read.
 */
public final class KnowledgeBaseLoader {
  /** The synonyms file in a knowledge-base directory. */
  public static final String SYNONYMS_FILE = "synonyms.txt";

  private KnowledgeBaseLoader() {}

  /**
   * Loads the knowledge base in {@code dir}.
   *
   * @throws KnowledgeBaseException if the directory is missing or has no topic file, or any file has a problem
   */
  public static KnowledgeBase load(Path dir) throws KnowledgeBaseException {
    List<Problem> problems = new ArrayList<>();
    List<Path> files = topicFiles(dir, problems);
    List<TopicFileReader.Draft> drafts = new ArrayList<>();
    for (Path file : files) {
      TextFile.read(file, problems).ifPresent(text -> drafts.addAll(TopicFileReader.read(file, text, problems)));
    }
    checkAcrossEntries(drafts, problems);
    List<List<String>> synonyms = new ArrayList<>();
    Path synonymsFile = dir.resolve(SYNONYMS_FILE);
    if (Files.isRegularFile(synonymsFile)) {
      TextFile.read(synonymsFile, problems).ifPresent(text -> synonyms.addAll(SynonymsReader.read(synonymsFile, text, problems)));
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingInt(Problem::line));
      throw new KnowledgeBaseException(problems);
    }
    return new KnowledgeBase(drafts.stream().map(draft -> draft.entry().orElseThrow()).toList(), synonyms);
  }

  /** The topic files of {@code dir} in name order; a directory that is not there gives an IOException. */
  static List<Path> topicFiles(Path dir) throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      return paths
          .filter(path -> {
            String name = path.getFileName().toString();
            return name.endsWith(".yaml") && !name.startsWith(".") && Files.isRegularFile(path);
          })
          .sorted(Comparator.comparing(path -> path.getFileName().toString()))
          .toList();
    }
  }

  static List<Path> topicFiles(Path dir, List<Problem> problems) {
    if (!Files.exists(dir)) {
      problems.add(new Problem(dir, 0, "the knowledge base directory does not exist"));
      return List.of();
    }
    if (!Files.isDirectory(dir)) {
      problems.add(new Problem(dir, 0, "is a file; the knowledge base is a directory of topic files"));
      return List.of();
    }
    List<Path> files;
    try {
      files = topicFiles(dir);
      try (Stream<Path> paths = Files.list(dir)) {
        // .yml would be skipped without a word, and its entries would silently be missing.
        paths.filter(path -> path.getFileName().toString().endsWith(".yml")).sorted().forEach(path ->
            problems.add(new Problem(path, 0, "topic files end in .yaml; rename it so it is read")));
      }
    } catch (IOException e) {
      problems.add(new Problem(dir, 0, "cannot be read: " + e.getMessage()));
      return List.of();
    }
    if (files.isEmpty()) {
      problems.add(new Problem(dir, 0, "no topic files (*.yaml) in the knowledge base directory"));
    }
    return files;
  }

  /** Ids are unique, and so is every question, standard or similar, across entries. */
  static void checkAcrossEntries(List<TopicFileReader.Draft> drafts, List<Problem> problems) {
    Map<String, TopicFileReader.Draft> byId = new HashMap<>();
    Map<String, Owner> byQuestion = new HashMap<>();
    for (TopicFileReader.Draft draft : drafts) {
      Path file = draft.file();
      if (!draft.id().isEmpty()) {
        TopicFileReader.Draft first = byId.putIfAbsent(draft.id(), draft);
        if (first != null) {
          problems.add(new Problem(file, draft.line(), "duplicate id \"" + draft.id() + "\", also at " + first.file() + ":"
              + first.line()));
        }
      }
      for (TopicFileReader.Located question : draft.questions()) {
        Owner first = byQuestion.putIfAbsent(QuestionKey.of(question.text()), new Owner(draft, question));
        if (first != null) {
          problems.add(new Problem(file, question.line(), (question.standard() ? "question \"" : "similar question \"")
              + question.text() + "\" is also in " + first.describe()));
        }
      }
    }
  }

  private record Owner(TopicFileReader.Draft draft, TopicFileReader.Located question) {
    String describe() {
      String entry = draft.id().isEmpty() ? "the entry" : "entry " + draft.id();
      return entry + " at " + draft.file() + ":" + question.line()
          + (question.standard() ? "" : " (as a similar question)");
    }
  }
}
