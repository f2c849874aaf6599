<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>DocumentPanel</name>
    <message>
        <source>Scan the customer's document</source>
        <translation>请扫描客户证件</translation>
    </message>
    <message>
        <source>Name: {name}</source>
        <translation>姓名：{name}</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Sex: {sex}</source>
        <translation>性别：{sex}</translation>
    </message>
    <message>
        <source>Born: {date} (age {age})</source>
        <translation>出生日期：{date}（{age} 岁）</translation>
    </message>
    <message>
        <source>Region: {region}</source>
        <translation>发证地区：{region}</translation>
    </message>
    <message>
        <source>Nationality: {code}</source>
        <translation>国籍：{code}</translation>
    </message>
    <message>
        <source>Valid until: {date}</source>
        <translation>有效期至：{date}</translation>
    </message>
    <message>
        <source>Not a valid document</source>
        <translation>证件号码无效</translation>
    </message>
    <message>
        <source>Reading the passport…</source>
        <translation>正在读取护照…</translation>
    </message>
    <message>
        <source>Line {count} of the machine-readable zone read; scan the next line.</source>
        <translation>已读到机读区第 {count} 行，请扫描下一行。</translation>
    </message>
    <message>
        <source>Esc starts again.</source>
        <translation>按 Esc 重新开始。</translation>
    </message>
    <message>
        <source>…and {count} more problems</source>
        <translation>…另有 {count} 处错误</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Deposit-free counter desk</source>
        <translation>免押金服务台</translation>
    </message>
    <message>
        <source>TRAINING MODE: synthetic residents, nothing reaches the city platform</source>
        <translation>培训模式：使用模拟居民数据，不连接城市信用平台</translation>
    </message>
    <message>
        <source>Scan or type the ID number, then press Enter</source>
        <translation>扫描或输入证件号码，按 Enter 确认</translation>
    </message>
</context>
</TS>
