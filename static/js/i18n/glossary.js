// The glossary of the Japanese page: the term used for each idea, and the names kept in Latin
// letters. docs/glossary.md is its readable copy (a test keeps the two in step), and the browser
// test of the Japanese page allows no Latin word but those of LATIN_NAMES.

/** [Japanese term, reading, English, what it means here]. */
export const TERMS = [
  ["順伝播", "じゅんでんぱ", "forward pass", "入力から出力へ、各層で z = Σ a·w + b と a = f(z) を計算していくこと"],
  ["逆伝播", "ぎゃくでんぱ", "backward pass", "出力から入力へ向かって、誤差信号 δ を連鎖律で求めていくこと"],
  ["誤差逆伝播法", "ごさぎゃくでんぱほう", "backpropagation", "逆伝播で勾配を求め、重みを更新する学習法"],
  ["誤差", "ごさ", "error", "出力 y と正解 t のずれ。損失関数で数値にする"],
  ["誤差信号", "ごさしんごう", "error signal δ", "δ = ∂E/∂z: ユニットの z を動かすと損失がどれだけ変わるか"],
  ["損失", "そんしつ", "loss", "損失関数で測った、いまのずれの大きさ E"],
  ["損失関数", "そんしつかんすう", "loss function", "誤差を一つの数にする関数（平均二乗誤差、クロスエントロピー）"],
  ["平均二乗誤差", "へいきんにじょうごさ", "mean squared error (MSE)", "回帰で使う損失関数"],
  ["クロスエントロピー", "", "cross-entropy", "分類で使う損失関数（2値クロスエントロピーは2クラス用）"],
  ["連鎖律", "れんさりつ", "chain rule", "合成関数の微分: 経路ごとに係数を掛け、経路どうしを足す"],
  ["勾配", "こうばい", "gradient", "∂E/∂w: 重みを少し増やしたときの損失の増え方"],
  ["勾配降下法", "こうばいこうかほう", "gradient descent", "勾配と逆の向きに重みを動かして損失を減らす方法"],
  ["学習率", "がくしゅうりつ", "learning rate η", "一歩でどれだけ思い切って重みを動かすか"],
  ["重み", "おもみ", "weight w", "ユニットどうしをつなぐ線の値。学習で変わる"],
  ["バイアス", "", "bias b", "ユニットごとに z に足される値。学習で変わる"],
  ["更新量", "こうしんりょう", "update Δw", "1回の更新で重みを実際に動かす量"],
  ["活性化関数", "かっせいかかんすう", "activation function", "z から a = f(z) を作る関数"],
  ["シグモイド関数", "", "sigmoid", "0 から 1 の値を出す活性化関数"],
  ["恒等関数", "こうとうかんすう", "linear (identity)", "f(z) = z。回帰の出力に使う"],
  ["ソフトマックス関数", "", "softmax", "出力を合計 1 の確率に変える活性化関数"],
  ["勾配消失", "こうばいしょうしつ", "vanishing gradient", "逆伝播の途中で δ が小さくなりすぎ、学習が進まないこと"],
  ["過学習", "かがくしゅう", "overfitting", "訓練データに合わせすぎて、テストデータで悪くなること"],
  ["ミニバッチ", "", "mini-batch", "1回の更新に使うサンプルの組"],
  ["ユニット", "", "unit (neuron)", "層の中の一つの計算単位"],
  ["入力層・隠れ層・出力層", "にゅうりょくそう・かくれそう・しゅつりょくそう", "input, hidden, output layer", "ネットワークの層"],
  ["最適化手法", "さいてきかしゅほう", "optimizer", "勾配から更新量を決める方法（SGD、モーメンタム、AdaGrad、RMSProp、Adam）"],
  ["モーメンタム", "", "momentum", "前の更新の勢いを残す最適化手法。係数 μ"],
  ["正則化", "せいそくか", "regularization", "重みに罰則を加えて過学習を防ぐこと（L1、L2）。係数 λ"],
  ["訓練データ・テストデータ", "くんれん・テスト", "training / test data", "学習に使うデータと、確かめるだけのデータ"],
  ["正解", "せいかい", "target t", "サンプルごとの教師データの値"],
  ["正解率", "せいかいりつ", "accuracy", "分類が当たったサンプルの割合"],
  ["エポック", "", "epoch", "訓練データをひと通り使い切る回数"],
  ["ステップ", "", "step", "1回の更新（順伝播・損失・逆伝播・更新）"],
  ["段階", "だんかい", "phase", "1ステップの中の順伝播・損失・逆伝播・更新の各部分"],
  ["乱数シード", "らんすうシード", "seed", "データや初期の重みを決める乱数の種"],
  ["活性", "かっせい", "activation a", "ユニットの出力 a = f(z)"],
  ["回帰", "かいき", "regression", "数値そのものを予測する課題（分類はクラスを当てる課題）"],
  ["差分近似", "さぶんきんじ", "finite difference", "(E(w + ε) − E(w − ε)) / 2ε: 勾配を確かめるための近似"],
  ["ヤコビ行列", "ヤコビぎょうれつ", "Jacobian", "ソフトマックス関数の各出力を各入力で微分した表"],
];

/** Names the Japanese page writes in Latin letters, as written. */
export const LATIN_NAMES = [
  "ReLU", "Leaky ReLU", "tanh", "SGD", "AdaGrad", "RMSProp", "Adam", "MSE", "XOR", "L1", "L2",
  "JSON", "CSV", "HTTP", // file formats and protocol
  "Tab", "Enter", "Esc", // keys, as printed on the keyboard
  "max", "min", "exp", "log", "sin", // function names inside formulas
  "Backprop Playground", // the application's name
  "English", // the language switch names each language in itself
];
