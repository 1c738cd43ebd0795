package org.nexusreussite.secrets.buildsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nexusreussite.secrets.buildsupport.server.TestTools;

/**
 * Checks that an error message is one of those quoted in the troubleshooting section of the project's
 * {@code SECURITY.md}, which promises to quote exactly what the SDK throws. A quoted message is a bold
 * code span; {@code <...>} in it stands for a part that varies (possibly empty).
 */
public final class SecurityGuide {

  private SecurityGuide() {}

  /**
   * Fails unless {@code message} matches a quoted troubleshooting message.
   *
   * @throws AssertionError naming the message and the file
   */
  public static void assertDocumented(String message) {
    Path guide = guidePath();
    for (Pattern documented : documentedMessages(guide)) {
      if (documented.matcher(message).matches()) {
        return;
      }
    }
    throw new AssertionError("The troubleshooting section of " + guide + " does not quote this message:\n  "
        + message);
  }

  /** The quoted messages, as patterns. */
  public static List<Pattern> documentedMessages(Path guide) {
    String text;
    try {
      text = Files.readString(guide, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + guide, e);
    }
    int section = text.indexOf("## Troubleshooting");
    if (section < 0) {
      throw new AssertionError(guide + " has no '## Troubleshooting' section");
    }
    Matcher m = Pattern.compile("\\*\\*`([^`]+)`\\*\\*").matcher(text.substring(section));
    List<Pattern> patterns = new ArrayList<>();
    while (m.find()) {
      StringBuilder regex = new StringBuilder();
      for (String part : m.group(1).split("<[^>]+>", -1)) {
        if (regex.length() > 0) {
          regex.append("(?s:.*?)");
        }
        regex.append(Pattern.quote(part));
      }
      patterns.add(Pattern.compile(regex.toString()));
    }
    return patterns;
  }

  private static Path guidePath() {
    Path root = TestTools.projectRoot();
    if (root == null) {
      throw new AssertionError("cannot find the project root to read SECURITY.md; set -D"
          + TestTools.PROJECT_ROOT_PROPERTY);
    }
    return root.resolve("SECURITY.md");
  }
}
