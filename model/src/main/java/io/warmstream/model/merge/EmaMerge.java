package io.warmstream.model.merge;

import java.util.LinkedHashMap;
import java.util.Map;

/** WARP's exponential moving average: each new member weighs mu ({@link ExponentialMovingAverage}). */
final class EmaMerge implements MergeMethod {

    @Override
    public MergePlan plan(FoldRequest request) {
        double mu = request.settings().emaMu();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("mu", mu);
        return request.first() ? MergePlan.first(request, parameters, request.membersWith(1.0))
                : MergePlan.pairwise(request, ExponentialMovingAverage.fold(mu), parameters, request.membersWith(mu));
    }
}
