<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CasesScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="75" />
        <source>Scan the ID to find the open cases</source>
        <translation>扫描证件，查找未结案件</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="82" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="83" />
        <source>Decided</source>
        <translation>决定时间</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="84" />
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="85" />
        <source>Deposit</source>
        <translation>押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="86" />
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="87" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="111" />
        <source>Settled now</source>
        <translation>当场结清</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="112" />
        <source>Due later</source>
        <translation>到期再付</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="120" />
        <source>F5  Save settlement</source>
        <translation>F5  保存结算</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="122" />
        <source>Ctrl+P  Print receipt</source>
        <translation>Ctrl+P  打印回执</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="127" />
        <source>Paid on time</source>
        <translation>按时还款</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="128" />
        <source>Paid late</source>
        <translation>逾期还款</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="129" />
        <source>Defaulted</source>
        <translation>违约</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="131" />
        <source>Settlement</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="133" />
        <source>Total (yuan)</source>
        <translation>总额（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="134" />
        <source>Insurance share (yuan)</source>
        <translation>医保支付（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="135" />
        <source>Self-pay</source>
        <translation>自付</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="136" />
        <source>Paid now (yuan)</source>
        <translation>本次实付（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="137" />
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="142" />
        <source>When</source>
        <translation>结算方式</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="145" />
        <source>A deferred amount ended</source>
        <translation>到期再付的结果</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="153" />
        <source>Deposit collected</source>
        <translation>押金已收取</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="154" />
        <source>Deposit refunded</source>
        <translation>押金已退还</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="155" />
        <source>Deposit still collected (supervised items)</source>
        <translation>仍收取的押金（加强监管事项）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="158" />
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="208" />
        <source>Unsaved settlement</source>
        <translation>结算尚未保存</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="209" />
        <source>A settlement is typed but not saved. Drop it and look up the new ID?</source>
        <translation>有一笔结算已填写但未保存。放弃它并查询新的证件吗？</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="263" />
        <source>waived</source>
        <translation>已免押</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="264" />
        <source>collected</source>
        <translation>已收押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="265" />
        <source>no deposit</source>
        <translation>无需押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="269" />
        <source>due later</source>
        <translation>到期再付</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="434" />
        <source>Settlement recorded; it goes to the platform. Ctrl+P prints the receipt.</source>
        <translation>结算已保存，将发送到信用平台。按 Ctrl+P 打印回执。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="452" />
        <source>Record a default</source>
        <translation>登记违约</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="453" />
        <source>Record that this customer did not pay? The platform lowers their credit.</source>
        <translation>确认登记该客户未还款？信用平台将降低其信用。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="479" />
        <source>There is no settlement to print yet.</source>
        <translation>还没有可打印的结算。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="267" />
        <source>open</source>
        <translation>未结</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="271" />
        <source>{amount} due {date}</source>
        <translation>{amount}，{date} 到期</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="292" />
        <source>No open cases for this person.</source>
        <translation>此人没有未结案件。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="327" />
        <source>No deposit is collected for this case.</source>
        <translation>本案件不收取押金。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="330" />
        <source>Deposit to collect: {amount}</source>
        <translation>应收押金：{amount}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="334" />
        <source>Deposit collected: {amount}</source>
        <translation>已收押金：{amount}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="338" />
        <source>Deposit refunded: {amount}</source>
        <translation>已退押金：{amount}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="372" />
        <source>Deposit recorded.</source>
        <translation>押金已登记。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="393" />
        <source>Scan the ID and choose a case first.</source>
        <translation>请先扫描证件并选择案件。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/cases.py" line="396" />
        <source>Enter the total first.</source>
        <translation>请先填写总额。</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="90" />
        <source>Scan the ID card or type the number</source>
        <translation>刷身份证或输入证件号码</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="99" />
        <source>standard deposit</source>
        <translation>标准押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="101" />
        <source>F6  Customer authorised the query and signed the commitment</source>
        <translation>F6  客户已授权查询并签署信用承诺书</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="104" />
        <source>F7  Emergency admission (treat first)</source>
        <translation>F7  急诊入院（先救治）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="106" />
        <source>F5  Decide</source>
        <translation>F5  查询决定</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="108" />
        <source>Esc  Next customer</source>
        <translation>Esc  下一位客户</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="109" />
        <source>F9  Commitment letter</source>
        <translation>F9  打印承诺书</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="111" />
        <source>Ctrl+P  Decision slip</source>
        <translation>Ctrl+P  打印决定单</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="117" />
        <source>1  Customer</source>
        <translation>1  客户</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="119" />
        <source>Scan or type the ID number, then Enter</source>
        <translation>刷证件或输入号码，按 Enter 确认</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="123" />
        <source>2  Item and commitment</source>
        <translation>2  事项与承诺</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="125" />
        <source>F8  Item</source>
        <translation>F8  事项</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="126" />
        <source>Deposit (yuan)</source>
        <translation>押金（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="138" />
        <source>3  Decision</source>
        <translation>3  决定</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="193" />
        <source>No management list yet: the desk must reach the platform once.</source>
        <translation>还没有事项清单：首次使用需要连接信用平台一次。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="301" />
        <source>The number is not valid: scan it again.</source>
        <translation>证件号码无效，请重新扫描。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="303" />
        <location filename="../../desk_app/ui/screens/counter.py" line="398" />
        <source>Scan the customer's document first.</source>
        <translation>请先扫描客户证件。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="307" />
        <source>This customer has a decision; Esc for the next customer.</source>
        <translation>该客户已有决定；按 Esc 接待下一位。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="311" />
        <source>Choose the item first.</source>
        <translation>请先选择事项。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="318" />
        <source>The customer must authorise the query and sign the commitment first (F6).</source>
        <translation>请先让客户授权查询并签署信用承诺书（F6）。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="401" />
        <source>Only a credit item has a commitment letter.</source>
        <translation>只有信用类事项需要信用承诺书。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/counter.py" line="417" />
        <source>There is no decision to print yet.</source>
        <translation>还没有可打印的决定。</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../desk_app/ui/errors.py" line="58" />
        <source>The desk ran into a problem</source>
        <translation>服务台程序出现问题</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/errors.py" line="61" />
        <source>Something went wrong inside the desk. What you recorded is saved. Copy this report for IT support; the log is in {folder}.</source>
        <translation>服务台程序内部出错。已记录的数据已保存。请复制本报告交给信息科；日志位于 {folder}。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/errors.py" line="69" />
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
</context>
<context>
    <name>DecisionCard</name>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="45" />
        <source>No decision yet</source>
        <translation>尚无决定</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="53" />
        <source>Asking the credit platform…</source>
        <translation>正在查询信用平台…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="61" />
        <source>EMERGENCY: treat first, no deposit</source>
        <translation>急诊：先救治，免交押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="63" />
        <source>WAIVE for now: offline, to be verified</source>
        <translation>临时免押：离线，待平台核验</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="67" />
        <source>WAIVE the deposit (offline: earlier platform decision)</source>
        <translation>免交押金（离线：沿用平台决定）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="69" />
        <source>WAIVE the deposit</source>
        <translation>免交押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="72" />
        <source>Waived: {amount}</source>
        <translation>免押金额：{amount}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="75" />
        <source>NO DEPOSIT for this item</source>
        <translation>本事项无需押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="76" />
        <source>Record the service only</source>
        <translation>只登记服务</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="78" />
        <source>COLLECT the deposit</source>
        <translation>收取押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="80" />
        <source>To collect: {amount}</source>
        <translation>应收押金：{amount}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="85" />
        <source>Credit score {score} (level {level}); this item needs {threshold}</source>
        <translation>信用分 {score}（{level}级）；本事项门槛 {threshold} 分</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="93" />
        <source>This item needs {threshold} points</source>
        <translation>本事项门槛 {threshold} 分</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="104" />
        <source>Online decision, valid until {time}</source>
        <translation>在线决定，有效期至 {time}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="108" />
        <source>OFFLINE: cached platform decision from {minutes} min ago, valid until {time}</source>
        <translation>离线：沿用 {minutes} 分钟前的平台决定，有效期至 {time}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="111" />
        <source>OFFLINE: provisional waiver, verified when the platform is back</source>
        <translation>离线：临时免押，平台恢复后核验</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="113" />
        <source>OFFLINE: collected by this item's offline rule</source>
        <translation>离线：按本事项离线规定收取押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/decision_card.py" line="115" />
        <source>Decided by the management list (no credit check)</source>
        <translation>按管理清单决定（无需查询信用）</translation>
    </message>
</context>
<context>
    <name>DocumentPanel</name>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="84" />
        <source>Scan the customer's document</source>
        <translation>请扫描客户证件</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="58" />
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="61" />
        <source>Name: {name}</source>
        <translation>姓名：{name}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="63" />
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="63" />
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="64" />
        <source>Sex: {sex}</source>
        <translation>性别：{sex}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="67" />
        <source>Born: {date} (age {age})</source>
        <translation>出生日期：{date}（{age} 岁）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="72" />
        <source>Region: {region}</source>
        <translation>发证地区：{region}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="74" />
        <source>Nationality: {code}</source>
        <translation>国籍：{code}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="76" />
        <source>Valid until: {date}</source>
        <translation>有效期至：{date}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="103" />
        <source>Scanner keyboard layout is wrong</source>
        <translation>扫描枪键盘布局不对</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="106" />
        <source>The digits arrived as if typed on a {layout} keyboard. Set the scanner (or the computer) to a US keyboard layout, then scan again. The number would be {masked}.</source>
        <translation>数字像是按 {layout} 键盘输入的。请把扫描枪（或电脑）设为美式键盘后重新扫描。号码应为 {masked}。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="115" />
        <source>Not a valid document</source>
        <translation>证件号码无效</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="90" />
        <source>Reading the passport…</source>
        <translation>正在读取护照…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="92" />
        <source>Line {count} of the machine-readable zone read; scan the next line.</source>
        <translation>已读到机读区第 {count} 行，请扫描下一行。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="96" />
        <source>Esc starts again.</source>
        <translation>按 Esc 重新开始。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/widgets/document_panel.py" line="120" />
        <source>…and {count} more problems</source>
        <translation>…另有 {count} 处错误</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk_app/ui/i18n.py" line="104" />
        <location filename="../../desk_app/ui/main_window.py" line="105" />
        <source>Deposit-free counter desk</source>
        <translation>免押金服务台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="117" />
        <source>TRAINING MODE: synthetic residents, nothing reaches the city platform</source>
        <translation>培训模式：使用模拟居民数据，不连接城市信用平台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="123" />
        <source>Training operators: clerk 1001 / PIN 1234, supervisor 9001 / PIN 9999</source>
        <translation>培训账号：柜员 1001 / PIN 1234，主管 9001 / PIN 9999</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="146" />
        <source>F2  Counter</source>
        <translation>F2  柜台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="147" />
        <source>F3  Open cases</source>
        <translation>F3  未结案件</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="148" />
        <location filename="../../desk_app/ui/main_window.py" line="433" />
        <source>F4  Sync and alerts</source>
        <translation>F4  同步与提醒</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="149" />
        <source>F11  Monthly report</source>
        <translation>F11  月报</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="150" />
        <source>F10  Settings</source>
        <translation>F10  设置</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="151" />
        <source>F12  Sign out</source>
        <translation>F12  退出登录</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="176" />
        <source>Counter {counter}</source>
        <translation>柜台 {counter}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="182" />
        <source>TRAINING</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="225" />
        <source>Platform: checking…</source>
        <translation>平台：检查中…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="239" />
        <source>Card reader: connecting…</source>
        <translation>读卡器：连接中…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="252" />
        <source>Card reader: not connected</source>
        <translation>读卡器：未连接</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="253" />
        <source>Card reader: ready</source>
        <translation>读卡器：就绪</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="254" />
        <source>Card reader: card read</source>
        <translation>读卡器：已读卡</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="261" />
        <source>Sign in first, then place the card again.</source>
        <translation>请先登录，再重新放卡。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="281" />
        <source>Signed in: {name}</source>
        <translation>已登录：{name}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="354" />
        <source>Only a supervisor changes settings.</source>
        <translation>只有主管可以修改设置。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="361" />
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="364" />
        <source>Operator: {name} ({id})</source>
        <translation>操作员：{name}（{id}）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="420" />
        <source>{n} provisional waiver(s) refused by the platform: collect the deposit (F4 Sync and alerts).</source>
        <translation>有 {n} 笔临时免押被平台拒绝：请收取押金（F4 同步与提醒）。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="453" />
        <source>● Online (last contact {time})</source>
        <translation>● 在线（最近联系 {time}）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="455" />
        <source>○ OFFLINE (checked {time})</source>
        <translation>○ 离线（检查于 {time}）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="426" />
        <source>Waiting to send: {pending}</source>
        <translation>待发送：{pending}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="428" />
        <source>  Needs attention: {n}</source>
        <translation>  需处理：{n}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="435" />
        <source> ({n} alerts)</source>
        <translation>（{n} 条提醒）</translation>
    </message>
</context>
<context>
    <name>PaperDialog</name>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="188" />
        <source>A4</source>
        <translation>A4 纸</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="188" />
        <source>80 mm receipt</source>
        <translation>80 毫米小票</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="193" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="196" />
        <source>Save as PDF…</source>
        <translation>存为 PDF…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="197" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="201" />
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="241" />
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="245" />
        <source>Save as PDF</source>
        <translation>存为 PDF</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="247" />
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/printing.py" line="261" />
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
</context>
<context>
    <name>ReportCharts</name>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="74" />
        <source>Amount waived per item (yuan)</source>
        <translation>各事项免押金额（元）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="80" />
        <source>Waived</source>
        <translation>免押</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="108" />
        <source>Settlement outcomes per day</source>
        <translation>每日结算结果</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="116" />
        <source>On time</source>
        <translation>按时结清</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="117" />
        <source>Late</source>
        <translation>逾期结清</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/report_charts.py" line="118" />
        <source>Defaulted</source>
        <translation>违约</translation>
    </message>
</context>
<context>
    <name>ReportScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="90" />
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="91" />
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="92" />
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="93" />
        <source>Submit to the platform</source>
        <translation>上报信用平台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="102" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="103" />
        <source>Waived</source>
        <translation>免押</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="104" />
        <source>Collected</source>
        <translation>收押</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="105" />
        <source>No deposit</source>
        <translation>无需押金</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="106" />
        <source>Amount waived</source>
        <translation>免押金额</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="107" />
        <source>On time</source>
        <translation>按时结清</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="108" />
        <source>Late</source>
        <translation>逾期结清</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="109" />
        <source>Defaulted</source>
        <translation>违约</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="110" />
        <source>Open</source>
        <translation>未结</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="111" />
        <source>Provisional</source>
        <translation>临时免押</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="114" />
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="116" />
        <source>Pending</source>
        <translation>待核验</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="112" />
        <source>Refused</source>
        <translation>被拒</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="113" />
        <source>Deposits in</source>
        <translation>监管押金收取</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="114" />
        <source>Deposits out</source>
        <translation>监管押金退还</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="130" />
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="158" />
        <source>Only a supervisor submits the report.</source>
        <translation>只有主管可以上报月报。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="160" />
        <source>A month is reported once it is over.</source>
        <translation>月份结束后才能上报。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="183" />
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="207" />
        <source>{month}: not submitted yet.</source>
        <translation>{month}：尚未上报。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="210" />
        <source>on its way</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="211" />
        <source>received by the platform</source>
        <translation>平台已接收</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="212" />
        <source>needs attention (see Sync)</source>
        <translation>需要处理（见同步页）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="214" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="215" />
        <source>revision {revision}: {state}</source>
        <translation>第 {revision} 版：{state}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="218" />
        <source>{month}: {submissions}</source>
        <translation>{month}：{submissions}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="237" />
        <source>Export the report</source>
        <translation>导出月报</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="266" />
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="285" />
        <source>Revision {revision} of {month} is on its way to the platform.</source>
        <translation>{month} 第 {revision} 版月报正在发送到信用平台。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/report.py" line="292" />
        <source>{month} was already submitted with these figures.</source>
        <translation>{month} 已按这些数字上报过，无需重复上报。</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="102" />
        <source>Training (embedded training platform)</source>
        <translation>培训（内置培训平台）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="103" />
        <source>Live (the city platform)</source>
        <translation>正式（城市信用平台）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="126" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="128" />
        <source>Save (applies at the next start)</source>
        <translation>保存（下次启动时生效）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="131" />
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="133" />
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="134" />
        <source>Platform URL (live)</source>
        <translation>平台地址（正式）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="135" />
        <source>CA bundle (if the city has its own)</source>
        <translation>CA 证书（如城市自有）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="136" />
        <source>Institution client id (live)</source>
        <translation>机构凭据 ID（正式）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="137" />
        <source>Client secret (kept in the keyring)</source>
        <translation>机构凭据密钥（存入系统钥匙串）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="138" />
        <source>Training institution</source>
        <translation>培训机构</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="139" />
        <source>This counter</source>
        <translation>本柜台</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="141" />
        <source>Counter id</source>
        <translation>柜台编号</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="142" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="143" />
        <source>Card reader port</source>
        <translation>读卡器端口</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="144" />
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="145" />
        <source>Scanner prefix (stripped)</source>
        <translation>扫描枪前缀（自动去除）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="146" />
        <source>Scanner suffix (stripped)</source>
        <translation>扫描枪后缀（自动去除）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="147" />
        <source>Lock after idle minutes</source>
        <translation>无操作锁定（分钟）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="151" />
        <source>Unlock an operator (id)</source>
        <translation>解锁操作员（工号）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="152" />
        <source>Items this counter serves (none ticked: all)</source>
        <translation>本柜台办理的事项（不勾选：全部）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="229" />
        <source>Operator {id} can sign in again.</source>
        <translation>操作员 {id} 已可重新登录。</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/settings.py" line="245" />
        <source>Settings saved. They apply when the desk starts again.</source>
        <translation>设置已保存，下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="53" />
        <location filename="../../desk_app/ui/screens/sign_in.py" line="95" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="64" />
        <source>Enter  Sign in</source>
        <translation>Enter  登录</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="70" />
        <source>Operator id</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="71" />
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="88" />
        <source>Locked after idle time: {name}, enter your PIN</source>
        <translation>长时间无操作已锁定：{name}，请输入 PIN 码</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sign_in.py" line="106" />
        <source>Sign in first, then scan the customer's document.</source>
        <translation>请先登录，再扫描客户证件。</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="168" />
        <source>Decision made offline</source>
        <translation>离线决定登记</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="169" />
        <source>Settlement</source>
        <translation>结算</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="170" />
        <source>Payment outcome</source>
        <translation>还款结果</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="171" />
        <source>Monthly report</source>
        <translation>月度报告</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="103" />
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="108" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="108" />
        <source>What to do</source>
        <translation>需要做什么</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="108" />
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="116" />
        <source>Deposit collected: clear the alert</source>
        <translation>已收取押金：清除提醒</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="120" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="120" />
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="127" />
        <source>Alerts: act now</source>
        <translation>提醒：请立即处理</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="131" />
        <source>Needs attention (the platform refused these)</source>
        <translation>需处理（平台拒绝了这些记录）</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/screens/sync.py" line="146" />
        <source>Waiting to send: {pending}    Needs attention: {attention}</source>
        <translation>待发送：{pending}    需处理：{attention}</translation>
    </message>
</context>
</TS>
