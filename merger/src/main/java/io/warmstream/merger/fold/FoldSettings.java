package io.warmstream.merger.fold;

import io.warmstream.model.merge.MergeSettings;

import java.nio.file.Path;

/**
 * How checkpoints are vetted and folded.
 *
 * @param merge                 strategy and its parameters (the sliding window's member locator is added per fold)
 * @param minValidationAccuracy checkpoints whose trainer-reported accuracy is below this are refused (LOW_ACCURACY)
 * @param lineage               the lineage id every member must have; null: whatever the first accepted member has
 * @param workDir               local scratch space for candidate averages before they go to the store
 */
public record FoldSettings(String average, MergeSettings merge, double minValidationAccuracy, String lineage,
                           Path workDir) {
}
