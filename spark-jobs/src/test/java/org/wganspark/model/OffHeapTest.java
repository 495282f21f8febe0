package org.wganspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class OffHeapTest {
    private static INDArray matrix(char order) {
        return Nd4j.rand(DataType.FLOAT, order, 7, 5);
    }

    @Test
    void rowsAreGetRowsOnContiguousMatricesViewsAndOtherLayouts() {
        int[] rows = {6, 0, 3, 3, 1};
        INDArray c = matrix('c');
        INDArray rowView = Nd4j.rand(DataType.FLOAT, 10, 5).get(NDArrayIndex.interval(2, 9), NDArrayIndex.all());  // offset, contiguous
        INDArray columnView = Nd4j.rand(DataType.FLOAT, 7, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 6));  // strided rows
        for (INDArray data : new INDArray[] {c, matrix('f'), rowView, columnView, c.castTo(DataType.DOUBLE)}) {
            INDArray gathered = OffHeap.rows(data, rows);
            assertArrayEquals(new long[] {5, 5}, gathered.shape());
            assertEquals(data.dataType(), gathered.dataType());
            assertEquals(data.getRows(rows), gathered);
        }
    }

    @Test
    void heapFloatsAreTheRowMajorElements() {
        INDArray c = matrix('c');
        INDArray f = matrix('f');
        INDArray view = Nd4j.rand(DataType.FLOAT, 10, 5).get(NDArrayIndex.interval(2, 9), NDArrayIndex.all());
        INDArray column = Nd4j.rand(DataType.FLOAT, 7, 1);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 3, 4);
        for (INDArray a : new INDArray[] {c, f, view, column, f.transpose(), doubles}) {
            assertArrayEquals(a.castTo(DataType.FLOAT).dup('c').data().asFloat(), OffHeap.heapFloats(a));
        }
    }
}
