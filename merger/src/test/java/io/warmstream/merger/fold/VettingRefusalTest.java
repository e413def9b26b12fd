package io.warmstream.merger.fold;

import io.warmstream.model.merge.IncompatibleModelException;
import io.warmstream.model.merge.IncompatibleModelException.Kind;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Every kind of fold refusal maps to one reason code, or to a fault when it concerns the merger's own files. */
class VettingRefusalTest {

    @Test
    void eachKindMapsToItsReasonCodeOrToAFault() {
        Map<Kind, ReasonCode> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.LINEAGE, ReasonCode.LINEAGE_MISMATCH);
        expected.put(Kind.TENSORS, ReasonCode.SHAPE_MISMATCH);
        expected.put(Kind.NON_FINITE, ReasonCode.NON_FINITE);
        expected.put(Kind.ALREADY_MEMBER, ReasonCode.ALREADY_MEMBER);
        expected.put(Kind.UNWEIGHABLE, ReasonCode.LOW_ACCURACY);
        for (Kind kind : Kind.values()) {
            IncompatibleModelException e = new IncompatibleModelException(kind, "detail of " + kind);
            RuntimeException mapped = Vetting.refusal(e);
            if (expected.containsKey(kind)) {
                CheckpointRejection r = assertInstanceOf(CheckpointRejection.class, mapped, kind.name());
                assertEquals(expected.get(kind), r.code());
                assertEquals("detail of " + kind, r.getMessage());
            } else {
                MergerFault f = assertInstanceOf(MergerFault.class, mapped, kind.name());
                assertSame(e, f.getCause());
            }
        }
    }
}
