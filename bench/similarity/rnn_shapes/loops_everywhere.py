"""Independent solution: explicit loops over samples and steps, camelCase names, no helpers."""
import numpy as np


def count_params(T, D, M, K):
    """SimpleRNN then Dense."""
    rnnWeights = M * D
    rnnWeights = rnnWeights + M * M
    rnnWeights = rnnWeights + M
    denseWeights = M * K + K
    totalCount = rnnWeights + denseWeights
    return totalCount


def weight_shapes(D, M, K):
    """Kernel, recurrent kernel, bias, dense kernel, dense bias."""
    shapeList = []
    shapeList.append((D, M))
    shapeList.append((M, M))
    shapeList.append((M,))
    shapeList.append((M, K))
    shapeList.append((K,))
    return shapeList


def extract_weights(model):
    """Read the arrays layer by layer."""
    rnnLayer = model.get_layer(index=1)
    denseLayer = model.get_layer(index=2)
    kernelX, kernelH, biasH = rnnLayer.get_weights()
    kernelOut, biasOut = denseLayer.get_weights()
    return (kernelX, kernelH, biasH, kernelOut, biasOut)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    """One sample."""
    numSteps = len(X)
    hiddenSize = len(bh)
    hState = np.zeros(hiddenSize)
    step = 0
    while step < numSteps:
        inputPart = np.matmul(X[step], Wx)
        recurrentPart = np.matmul(hState, Wh)
        hState = np.tanh(inputPart + recurrentPart + bh)
        step += 1
    outVec = np.matmul(hState, Wo) + bo
    return outVec


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    """Every sample in turn, each with its own loop over time."""
    numSamples = len(X)
    allOutputs = np.zeros((numSamples, len(bo)))
    for sampleIdx in range(numSamples):
        hState = np.zeros(len(bh))
        for xStep in X[sampleIdx]:
            hState = np.tanh(np.matmul(xStep, Wx) + np.matmul(hState, Wh) + bh)
        allOutputs[sampleIdx] = np.matmul(hState, Wo) + bo
    return allOutputs


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    """Outputs at every step of every sample."""
    numSamples, numSteps = len(X), len(X[0])
    allOutputs = np.zeros((numSamples, numSteps, len(bo)))
    for sampleIdx in range(numSamples):
        hState = np.zeros(len(bh))
        for stepIdx in range(numSteps):
            hState = np.tanh(np.matmul(X[sampleIdx][stepIdx], Wx) + np.matmul(hState, Wh) + bh)
            allOutputs[sampleIdx, stepIdx] = np.matmul(hState, Wo) + bo
    return allOutputs
