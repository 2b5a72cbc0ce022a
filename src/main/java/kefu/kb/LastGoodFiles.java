package kefu.kb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the knowledge base a node serves although some of its files are broken: each broken file is replaced by
 * its last good version — a copy kept on disk from the last time it loaded cleanly — or left out if it has none.
 *
 * <p>So a mistake in one file costs the customers that file's latest edit, not every answer. Where two files
 * clash (the same id or question in both), the one edited since its last good version gives way.
 */
final class LastGoodFiles {
  private static final Logger log = LoggerFactory.getLogger(LastGoodFiles.class);

  /**
   * What a node can serve, and every problem found on the way.
   *
   * @param texts the content served of each file (its own or its last good version), by file name
   * @param problems by file and line; empty when every file loaded cleanly
   */
  record Loaded(KnowledgeBase knowledgeBase, Map<String, String> texts, List<Problem> problems) {}

  /** A topic file as it would be served: its own text ({@code own}) or its last good version. */
  private record Version(Path file, String text, List<TopicFileReader.Draft> drafts, boolean own, boolean edited) {}

  private final Path dir;
  private final Path kept;

  /**
   * @param dir the knowledge base
   * @param kept where the last good version of each file is kept, under the same name
   */
  LastGoodFiles(Path dir, Path kept) {
    this.dir = dir;
    this.kept = kept;
  }

  /**
   * Loads every file, puts last good versions in place of broken ones, and keeps each file served as its own
   * as its last good version.
   *
   * @throws KnowledgeBaseException if there is nothing to serve: no directory, no topic file, or none usable
   */
  Loaded load() throws KnowledgeBaseException {
    List<Problem> problems = new ArrayList<>();
    List<Path> files = KnowledgeBaseLoader.topicFiles(dir, problems);
    if (files.isEmpty()) {
      throw new KnowledgeBaseException(problems);
    }
    Map<Path, Version> versions = new LinkedHashMap<>();
    for (Path file : files) {
      List<Problem> own = new ArrayList<>();
      Optional<String> text = TextFile.read(file, own);
      List<TopicFileReader.Draft> drafts = text.map(t -> TopicFileReader.read(file, t, own)).orElse(List.of());
      if (own.isEmpty()) {
        versions.put(file, new Version(file, text.get(), drafts, true, !text.equals(keptText(file))));
      } else {
        problems.addAll(own);
        lastGood(file, text).ifPresent(version -> versions.put(file, version));
      }
    }
    settleClashes(versions, problems);
    problems.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingInt(Problem::line));
    if (versions.isEmpty()) {
      throw new KnowledgeBaseException(problems);
    }
    Map<String, String> texts = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Version version : versions.values()) {
      texts.put(version.file().getFileName().toString(), version.text());
      version.drafts().forEach(draft -> entries.add(draft.entry().orElseThrow()));
    }
    List<List<String>> synonyms = synonyms(texts, problems);
    keep(texts);
    return new Loaded(new KnowledgeBase(entries, synonyms), texts, List.copyOf(problems));
  }

  /** The last good version of a broken file, if it has one other than its text now and it still loads cleanly. */
  private Optional<Version> lastGood(Path file, Optional<String> now) {
    return keptText(file).filter(text -> !Optional.of(text).equals(now)).flatMap(text -> {
      List<Problem> own = new ArrayList<>();
      List<TopicFileReader.Draft> drafts = TopicFileReader.read(file, text, own);
      return own.isEmpty() ? Optional.of(new Version(file, text, drafts, false, false)) : Optional.empty();
    });
  }

  /**
   * Checks ids and questions across files, files not edited first, so that a clash is reported in (and taken out
   * of) the edited one; repeats until no two files clash, each round putting one file back to its last good
   * version or leaving it out.
   */
  private void settleClashes(Map<Path, Version> versions, List<Problem> problems) {
    while (true) {
      List<TopicFileReader.Draft> drafts = versions.values().stream()
          .sorted(Comparator.comparing(Version::edited))
          .flatMap(version -> version.drafts().stream()).toList();
      List<Problem> clashes = new ArrayList<>();
      KnowledgeBaseLoader.checkAcrossEntries(drafts, clashes);
      if (clashes.isEmpty()) {
        return;
      }
      Version blamed = versions.get(clashes.get(0).file());
      clashes.stream().filter(p -> p.file().equals(blamed.file())).forEach(problems::add);
      Optional<Version> instead = blamed.own() ? lastGood(blamed.file(), Optional.of(blamed.text())) : Optional.empty();
      instead.ifPresentOrElse(version -> versions.put(blamed.file(), version), () -> versions.remove(blamed.file()));
    }
  }

  /** The synonym groups of {@code synonyms.txt}, or of its last good version when it is broken; none without. */
  private List<List<String>> synonyms(Map<String, String> texts, List<Problem> problems) {
    Path file = dir.resolve(KnowledgeBaseLoader.SYNONYMS_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<Problem> own = new ArrayList<>();
    Optional<String> text = TextFile.read(file, own);
    List<List<String>> groups = text.map(t -> SynonymsReader.read(file, t, own)).orElse(List.of());
    if (own.isEmpty()) {
      texts.put(KnowledgeBaseLoader.SYNONYMS_FILE, text.get());
      return groups;
    }
    problems.addAll(own);
    Optional<String> last = keptText(file).filter(k -> !Optional.of(k).equals(text));
    if (last.isPresent()) {
      List<Problem> again = new ArrayList<>();
      List<List<String>> lastGroups = SynonymsReader.read(file, last.get(), again);
      if (again.isEmpty()) {
        texts.put(KnowledgeBaseLoader.SYNONYMS_FILE, last.get());
        return lastGroups;
      }
    }
    return List.of();
  }

  private Optional<String> keptText(Path file) {
    Path copy = kept.resolve(file.getFileName());
    try {
      return Files.isRegularFile(copy) ? Optional.of(Files.readString(copy)) : Optional.empty();
    } catch (IOException e) {
      log.warn("Cannot read the last good version {}: {}", copy, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Makes each text served the last good version of its file, and forgets the last good versions of files no
   * longer in the knowledge base. A failure costs only the copy, so it is logged, not thrown.
   */
  private void keep(Map<String, String> texts) {
    try {
      Files.createDirectories(kept);
      for (Map.Entry<String, String> text : texts.entrySet()) {
        Path copy = kept.resolve(text.getKey());
        if (!keptText(copy).equals(Optional.of(text.getValue()))) {
          Path partial = kept.resolve("." + text.getKey() + ".partial");
          Files.writeString(partial, text.getValue());
          Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      try (Stream<Path> copies = Files.list(kept)) {
        for (Path copy : (Iterable<Path>) copies::iterator) {
          if (!Files.exists(dir.resolve(copy.getFileName()))) {
            Files.delete(copy);
          }
        }
      }
    } catch (IOException e) {
      log.warn("Cannot keep the last good versions of the knowledge base's files in {}: {}", kept, e.getMessage());
    }
  }
}
