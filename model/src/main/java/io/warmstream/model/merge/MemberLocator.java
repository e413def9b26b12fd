package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;

import java.nio.file.Path;

/** Where the merger keeps a member's model directory; needed by {@link MergeStrategy#SLIDING_WINDOW}. */
@FunctionalInterface
public interface MemberLocator {

    Path directoryOf(Member member);
}
