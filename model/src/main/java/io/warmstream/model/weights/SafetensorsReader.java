package io.warmstream.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming reader of one safetensors file: the header is read and fully validated on open, then tensors are read
 * one at a time (or in element ranges) as fp32, so memory stays bounded by what the caller asks for.
 *
 * <p>Thread-safe: reads are positional and the I/O buffer is per thread, so threads may share one reader.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** I/O buffer size; big enough for few system calls, small enough to not matter next to a tensor. */
    static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final long dataStart;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, String> metadata;
    /**
     * One direct I/O buffer per thread, shared by all readers on it: a read fills and drains it before returning,
     * so readers used in turn by one thread never see each other's bytes, and a merger opening readers for every
     * fold does not pile up direct memory that only a GC would free.
     */
    private static final ThreadLocal<ByteBuffer> BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN));

    private SafetensorsReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileSize = channel.size();
        String where = file.toString();
        if (fileSize < 8) {
            throw new ModelFormatException(where + ": file has " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new ModelFormatException(where + ": header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (8 + headerLength > fileSize) {
            throw new ModelFormatException(where + ": header length " + headerLength + " exceeds the file size "
                    + fileSize + " (file truncated?)");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(header, 8);
        this.dataStart = 8 + headerLength;
        SafetensorsHeader.Parsed parsed = SafetensorsHeader.parse(header.array(), fileSize - dataStart, where);
        this.tensors = parsed.tensors();
        this.metadata = parsed.metadata();
        Map<String, TensorInfo> index = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            index.put(t.name(), t);
        }
        this.byName = index;
    }

    /** Opens and validates the header; refuses malformed, truncated or padded files with {@link ModelFormatException}. */
    public static SafetensorsReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        try {
            return new SafetensorsReader(file, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public long fileSize() {
        return fileSize;
    }

    /** Absolute file offset of the data section (8 + header length). */
    public long dataStart() {
        return dataStart;
    }

    /** Tensors in file order (by data offset). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The named tensor's info, or null. */
    public TensorInfo find(String name) {
        return byName.get(name);
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new ModelFormatException(file + ": no tensor " + name);
        }
        return t;
    }

    public float[] readFloats(String name) {
        return readFloats(tensor(name));
    }

    /** The whole tensor as fp32 (F16 and BF16 widened). */
    public float[] readFloats(TensorInfo info) {
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file + ": tensor " + info.name() + " has " + n
                    + " elements, too many for one array; read it in ranges");
        }
        float[] out = new float[(int) n];
        readFloats(info, 0, out, 0, out.length);
        return out;
    }

    /** Reads elements [fromElement, fromElement + count) of a tensor into dst[dstOffset ...], as fp32. */
    public void readFloats(TensorInfo info, long fromElement, float[] dst, int dstOffset, int count) {
        DType dtype = info.dtype();
        if (!dtype.readableAsFloat()) {
            throw new ModelFormatException(file + ": tensor " + info.name() + " has dtype " + dtype
                    + ", which cannot be read as floats");
        }
        if (fromElement < 0 || count < 0 || fromElement + count > info.elementCount()) {
            throw new IndexOutOfBoundsException("tensor " + info.name() + ": elements [" + fromElement + ","
                    + (fromElement + count) + ") outside " + info.elementCount());
        }
        int size = dtype.byteSize();
        ByteBuffer buffer = BUFFER.get();
        long position = dataStart + info.begin() + fromElement * size;
        int perRead = BUFFER_BYTES / size;
        try {
            while (count > 0) {
                int n = Math.min(count, perRead);
                buffer.clear().limit(n * size);
                readFully(buffer, position);
                buffer.flip();
                decode(dtype, buffer, dst, dstOffset, n);
                position += (long) n * size;
                dstOffset += n;
                count -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + info.name() + " from " + file, e);
        }
    }

    private static void decode(DType dtype, ByteBuffer bytes, float[] dst, int offset, int n) {
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().get(dst, offset, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = HalfPrecision.f16ToFloat(bytes.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = HalfPrecision.bf16ToFloat(bytes.getShort(2 * i));
                }
            }
            default -> throw new IllegalStateException(dtype.name());
        }
    }

    private void readFully(ByteBuffer target, long position) throws IOException {
        while (target.hasRemaining()) {
            int read = channel.read(target, position);
            if (read < 0) {
                throw new ModelFormatException(file + ": unexpected end of file at byte " + position
                        + " (file truncated while reading?)");
            }
            position += read;
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing was written that closing could lose.
        }
    }
}
